package datasets

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/letter"
	"hogo.example.jp/hogo/vault"
)

// ProvisionInput is a provision of anonymised information to a third
// party.
type ProvisionInput struct {
	Recipient        string `json:"recipient"`
	RecipientAddress string `json:"recipient_address"`
	Method           string `json:"method"`
	// ProvidedOn is the day it is provided, YYYY-MM-DD (default today).
	ProvidedOn string `json:"provided_on"`
}

// Provide records a provision of a dataset to a third party (APPI Art.
// 43(4), 則36(2)): the items it holds and the method of provision are
// published on the portal from now, the recipient is told in writing that
// it receives anonymised information (the cover letter returned, a PDF),
// and the provision is audited.
func (s *Service) Provide(ctx context.Context, a hogo.Actor, datasetID string, in ProvisionInput) (*hogo.DatasetProvision, []byte, error) {
	if !slices.Contains(CreateRoles, a.Role) {
		return nil, nil, hogo.NewError(hogo.EFORBIDDEN, "role", "匿名加工情報の提供は個人情報保護管理者が記録します。",
			"provisions of anonymised information are recorded by the protection manager")
	}
	d, err := s.Get(ctx, a, datasetID)
	if err != nil {
		return nil, nil, err
	}
	if d.Kind != hogo.DatasetAnonymized {
		return nil, nil, hogo.NewError(hogo.EINVALID, "id", "仮名加工情報は第三者に提供できません（個人情報保護法第41条第6項、第42条第1項）。",
			"pseudonymised information cannot be provided to a third party (APPI Art. 41(6), 42(1))")
	}
	in.Recipient, in.RecipientAddress, in.Method = strings.TrimSpace(in.Recipient), strings.TrimSpace(in.RecipientAddress), strings.TrimSpace(in.Method)
	for _, f := range []struct {
		name, v, ja string
		max         int
		need        bool
	}{{"recipient", in.Recipient, "提供先の名称", 200, true}, {"recipient_address", in.RecipientAddress, "提供先の所在地", 300, false},
		{"method", in.Method, "提供の方法", 500, true}} {
		if f.need && f.v == "" {
			return nil, nil, invalid(f.name, "%[1]sを入力してください（規則第36条第2項）。", "the %[2]s is required (PPC rules Art. 36(2))", f.ja, strings.ReplaceAll(f.name, "_", " "))
		}
		if utf8.RuneCountInString(f.v) > f.max {
			return nil, nil, invalid(f.name, "%[1]sは%[3]d文字以内にしてください。", "the %[2]s is at most %[3]d characters", f.ja, strings.ReplaceAll(f.name, "_", " "), f.max)
		}
	}
	now := s.Now()
	day := calendar.DateOf(now)
	if in.ProvidedOn != "" {
		if day, err = calendar.ParseDate(in.ProvidedOn); err != nil {
			return nil, nil, invalid("provided_on", "提供日は 2026-11-24 の形で入力してください。", "write the day provided as 2026-11-24")
		}
		// The items and method are published before the provision, not
		// after (Art. 43(4)).
		if day.Before(calendar.DateOf(now)) {
			return nil, nil, invalid("provided_on", "提供日が過ぎています。項目と提供の方法は提供の前に公表します（法第43条第4項）。",
				"the day provided has passed: the items and the method are published before the provision (APPI Art. 43(4))")
		}
	}
	p := &hogo.DatasetProvision{ID: vault.NewID(now), DatasetID: d.ID, Recipient: in.Recipient, RecipientAddress: in.RecipientAddress,
		Method: in.Method, ProvidedOn: day.String(), CreatedAt: now, Actor: a.Name, PublishedAt: now}
	pdf, err := s.coverLetter(d, p)
	if err != nil {
		return nil, nil, err
	}
	e := a.Entry("dataset.provide")
	e.Target, e.Category = d.ID, d.Category
	e.Detail = map[string]string{"provision": p.ID, "provided_on": p.ProvidedOn, "published": "items,method", "rows": strconv.Itoa(d.Rows)}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertDatasetProvision(ctx, p) }, e); err != nil {
		return nil, nil, err
	}
	return p, pdf, nil
}

// Provisions lists the provisions of a dataset ("" for all).
func (s *Service) Provisions(ctx context.Context, a hogo.Actor, datasetID string) ([]*hogo.DatasetProvision, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "匿名加工情報の作成記録は個人情報保護管理者と監査担当が見られます。",
			"the records of anonymised information are for the protection manager and the auditor")
	}
	if datasetID != "" {
		if _, err := s.Get(ctx, a, datasetID); err != nil {
			return nil, err
		}
	}
	return s.store.ListDatasetProvisions(ctx, datasetID)
}

// PublishedProvisions returns every provision for the portal, which
// publishes each one's dataset items and method (Art. 43(4)); the
// recipient is not published.
func (s *Service) PublishedProvisions(ctx context.Context) ([]*hogo.DatasetProvision, error) {
	ps, err := s.store.ListDatasetProvisions(ctx, "")
	for _, p := range ps {
		p.Recipient, p.RecipientAddress, p.Actor = "", "", ""
	}
	return ps, err
}

// Letter renders again the cover letter of a provision.
func (s *Service) Letter(ctx context.Context, a hogo.Actor, datasetID, provisionID string) ([]byte, error) {
	if !slices.Contains(CreateRoles, a.Role) {
		return nil, forbidden()
	}
	d, err := s.Get(ctx, a, datasetID)
	if err != nil {
		return nil, err
	}
	ps, err := s.store.ListDatasetProvisions(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.ID == provisionID {
			e := a.Entry("dataset.letter")
			e.Target, e.Category = d.ID, d.Category
			e.Detail = map[string]string{"provision": p.ID}
			if err := s.audit.Append(ctx, e); err != nil {
				return nil, err
			}
			return s.coverLetter(d, p)
		}
	}
	return nil, hogo.NewError(hogo.ENOTFOUND, "provision", "提供の記録が見つかりません。", "no such provision")
}

// coverLetter tells the recipient in writing that what it receives is
// anonymised information (Art. 43(4)), with its items, the method of
// provision and the ban on re-identification (Art. 45).
func (s *Service) coverLetter(d *hogo.Dataset, p *hogo.DatasetProvision) ([]byte, error) {
	l, _ := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	day, err := calendar.ParseDate(p.ProvidedOn)
	if err != nil {
		return nil, err
	}
	items := &letter.Table{Header: []string{"個人に関する情報の項目", "加工の内容"}, Widths: []float64{1, 1.6}}
	for _, it := range d.Items {
		items.Rows = append(items.Rows, []string{it.NameJa, it.ProcessJa})
	}
	about := &letter.Table{Header: []string{"事項", "内容"}, Widths: []float64{1, 2.2}, Rows: [][]string{
		{"表題", d.Title},
		{"作成日", calendar.FormatJapanese(calendar.DateOf(d.CreatedAt))},
		{"行数", strconv.Itoa(d.Rows) + "行"},
		{"提供日", calendar.FormatJapanese(day)},
		{"提供の方法", p.Method},
	}}
	to := []string{p.Recipient + "　御中"}
	if p.RecipientAddress != "" {
		to = append(to, p.RecipientAddress)
	}
	lt := &letter.Letter{
		Title:     "匿名加工情報の提供について",
		Date:      calendar.FormatJapanese(day),
		Reference: []string{"提供番号 " + p.ID},
		Addressee: to,
		Sender:    []string{l.Organization.Name.Ja, l.Organization.Address.Ja},
		Opening: []string{"　当社は、貴社に次の情報を提供いたします。個人情報の保護に関する法律第43条第4項に基づき、" +
			"提供する情報が同法第2条第6項に定める匿名加工情報であることを明示いたします。" +
			"提供に先立ち、含まれる個人に関する情報の項目及び提供の方法を当社ウェブサイトで公表しています。"},
		Sections: []letter.Section{
			{Heading: "提供する匿名加工情報", Table: about},
			{Heading: "匿名加工情報に含まれる個人に関する情報の項目", Table: items},
			{Heading: "お願い", Paragraphs: []string{
				"　匿名加工情報の作成に用いられた個人情報に係る本人を識別するために、当該匿名加工情報を他の情報と照合すること、" +
					"及び削除された記述等や加工の方法に関する情報を取得することは、法律により禁じられています（個人情報の保護に関する法律第45条）。",
				"　匿名加工情報を更に第三者に提供するときは、あらかじめ項目と提供の方法を公表し、提供先に匿名加工情報であることを明示してください（同法第44条）。"}},
		},
		Closing: []string{"以上"},
		Footer:  fmt.Sprintf("%s　提供番号 %s", l.Organization.Name.Ja, p.ID),
	}
	return letter.Render(lt, letter.Options{Substitute: '〓'})
}
