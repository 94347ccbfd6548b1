package datasets

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base32"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/prf"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// PseudoSpec says what pseudonymised information to make: the items kept
// as they are held, for one of the purposes of pseudonymised information
// the ledger publishes (Art. 41(4)).
type PseudoSpec struct {
	Title    string   `json:"title"`
	Category string   `json:"category"`
	Purpose  string   `json:"purpose"` // the declared purpose the records are read for
	Items    []string `json:"items"`
	// UsePurpose is the index of the purpose in the ledger's
	// pseudonymized.purposes: what the pseudonymised information is used
	// for.
	UsePurpose int `json:"use_purpose"`
}

// PseudoEligible says whether an item may be kept in pseudonymised
// information: identification codes are removed (則31(ii)), names and other
// identifying descriptions are replaced by the pseudonym (則31(i)),
// descriptions that could cause financial damage — card and account
// numbers — are removed (則31(iii)), and contact details are not kept,
// since pseudonymised information is never used to contact anyone (Art.
// 41(8)).
func PseudoEligible(it *ledger.Item) error {
	switch it.Type {
	case ledger.TypeMyNumber, ledger.TypeCode:
		return hogo.NewError(hogo.EINVALID, "items", "「%[1]s」は個人識別符号です。仮名加工情報からは削除します（規則第31条第2号）。",
			"%[2]s is an identification code: pseudonymised information leaves it out (PPC rules Art. 31(ii))", it.Name.Ja, it.Name.En)
	case ledger.TypeURL, ledger.TypeFile:
		return hogo.NewError(hogo.EINVALID, "items", "「%[1]s」はファイル又は URL で、本人を特定できる内容を含み得るため残しません（規則第31条第1号）。",
			"%[2]s is a file or URL that may hold what identifies the person, so it is not kept (PPC rules Art. 31(i))", it.Name.Ja, it.Name.En)
	case ledger.TypeEmail, ledger.TypePhone, ledger.TypeAddress:
		return hogo.NewError(hogo.EINVALID, "items", "「%[1]s」は連絡先です。仮名加工情報は本人への連絡に使わないため、残しません（法第41条第8項）。",
			"%[2]s is a contact detail: pseudonymised information is never used to contact anyone, so it is not kept (APPI Art. 41(8))", it.Name.Ja, it.Name.En)
	}
	if it.Identifier {
		return hogo.NewError(hogo.EINVALID, "items", "「%[1]s」は本人を特定する記述です。仮名（符号）に置き換えます（規則第31条第1号）。",
			"%[2]s identifies the person: it is replaced by the pseudonym (PPC rules Art. 31(i))", it.Name.Ja, it.Name.En)
	}
	if financial(it) {
		return hogo.NewError(hogo.EINVALID, "items", "「%[1]s」は不正に使われると財産的被害が生じるおそれのある記述です。削除します（規則第31条第3号）。",
			"%[2]s could cause financial damage if misused: it is removed (PPC rules Art. 31(iii))", it.Name.Ja, it.Name.En)
	}
	return nil
}

// financial tells items that hold card or account numbers by their ID or
// name.
func financial(it *ledger.Item) bool {
	s := strings.ToLower(it.ID + " " + it.Name.Ja + " " + it.Name.En)
	for _, w := range []string{"card", "bank", "account", "カード", "口座", "クレジット"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// CreatePseudonymized makes pseudonymised information of a category: each
// principal replaced by a pseudonym keyed for this dataset alone, the items
// chosen kept as they are held, and the removed information (削除情報等: the
// pseudonyms' key and which principal each stands for) sealed apart under
// a key of its own (Art. 41(2), 則32). It is kept with its use purpose and
// can never be provided to a third party (Art. 41(6)).
func (s *Service) CreatePseudonymized(ctx context.Context, a hogo.Actor, sp PseudoSpec) (*hogo.Dataset, error) {
	if !slices.Contains(CreateRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "仮名加工情報は個人情報保護管理者が作成します。",
			"pseudonymised information is created by the protection manager")
	}
	l, c, err := s.source(sp.Category, sp.Purpose)
	if err != nil {
		return nil, err
	}
	if l.Pseudonymized == nil || len(l.Pseudonymized.Purposes) == 0 {
		return nil, invalid("use_purpose", "台帳に仮名加工情報の利用目的がありません。利用目的を公表してから作成します（法第41条第4項）。",
			"the ledger states no purpose for pseudonymised information: its purposes are published first (APPI Art. 41(4))")
	}
	if sp.UsePurpose < 0 || sp.UsePurpose >= len(l.Pseudonymized.Purposes) {
		return nil, invalid("use_purpose", "利用目的は台帳の仮名加工情報の利用目的から選んでください。", "choose the use purpose from the ledger's purposes of pseudonymised information")
	}
	if len(sp.Items) == 0 {
		return nil, invalid("items", "残す項目を一つ以上選んでください。", "choose at least one item to keep")
	}
	if utf8.RuneCountInString(strings.TrimSpace(sp.Title)) > 200 {
		return nil, invalid("title", "表題は200文字以内にしてください。", "the title is at most 200 characters")
	}
	seen := map[string]bool{}
	for _, id := range sp.Items {
		it := item(c, id)
		if it == nil || seen[id] {
			return nil, invalid("items", "種別の項目ではないもの、又は二度指定された項目があります。", "an item given is not an item of the category, or is given twice")
		}
		seen[id] = true
		if err := PseudoEligible(it); err != nil {
			return nil, err
		}
	}
	u := vault.Use{Purpose: sp.Purpose}
	_, cols, err := s.vault.ExportColumns(ctx, a, c.ID, u)
	if err != nil {
		return nil, err
	}
	pick := make([]int, len(sp.Items))
	for i, id := range sp.Items {
		j := slices.Index(cols, id)
		if j < 0 {
			return nil, invalid("items", "「%[1]s」はこの利用目的では読めない項目です。", "%[2]s cannot be read for this purpose", item(c, id).Name.Ja, item(c, id).Name.En)
		}
		pick[i] = j + 2
	}
	// The pseudonyms' key is a tink HMAC-SHA256 PRF keyset made for this
	// dataset alone; it leaves memory only inside the removed information,
	// sealed under the dataset's own data key.
	kh, err := keyset.NewHandle(prf.HMACSHA256PRFKeyTemplate())
	if err != nil {
		return nil, err
	}
	ps, err := prf.NewPRFSet(kh)
	if err != nil {
		return nil, err
	}
	pseudonym := func(principal string) (string, error) {
		b, err := ps.ComputePrimaryPRF([]byte(principal), 10)
		if err != nil {
			return "", err
		}
		return "P" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b), nil
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	cw := csv.NewWriter(zw)
	cw.Write(append([]string{"pseudonym"}, sp.Items...))
	mapping := map[string]string{}
	rows := 0
	_, err = s.vault.Export(ctx, a, c.ID, u, MaxRows, func(cells []string) error {
		p, err := pseudonym(cells[0])
		if err != nil {
			return err
		}
		if _, dup := mapping[p]; dup {
			// 80 bits of PRF output: a collision is as good as
			// impossible, but two principals must never share a pseudonym.
			return fmt.Errorf("pseudonym collision")
		}
		mapping[p] = cells[0]
		row := make([]string, 0, len(pick)+1)
		row = append(row, p)
		for _, j := range pick {
			row = append(row, cells[j])
		}
		rows++
		return cw.Write(row)
	})
	if err != nil {
		return nil, err
	}
	if rows == 0 {
		return nil, invalid("category", "この種別には、この利用目的で読める記録がありません。", "the category has no records readable for this purpose")
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	now := s.Now()
	d := &hogo.Dataset{ID: vault.NewID(now), Kind: hogo.DatasetPseudonymized, Title: strings.TrimSpace(sp.Title), Category: c.ID, Purpose: sp.Purpose,
		Rows: rows, CreatedAt: now, Actor: a.Name, Data: buf.Bytes()}
	if d.Title == "" {
		d.Title = fmt.Sprintf("%s %s", c.Name.Ja, now.In(hogo.Tokyo).Format("2006-01-02"))
	}
	use := l.Pseudonymized.Purposes[sp.UsePurpose]
	for _, id := range sp.Items {
		it := item(c, id)
		d.Items = append(d.Items, hogo.DatasetItem{ID: id, NameJa: it.Name.Ja, NameEn: it.Name.En, ProcessJa: "そのまま", ProcessEn: "as held"})
	}
	d.Steps = pseudoSteps(c, sp)
	report, err := json.Marshal(PseudoReport{Rows: rows, UsePurpose: Words{Ja: use.Ja, En: use.En}})
	if err != nil {
		return nil, err
	}
	d.Report = report
	wrapped, dk, err := s.keys.NewDataKey(methodKeyID(d.ID))
	if err != nil {
		return nil, err
	}
	// The keyset is written encrypted under the data key, and the whole
	// removed information sealed again under it with the dataset's ID.
	var ks bytes.Buffer
	if err := kh.WriteWithAssociatedData(keyset.NewJSONWriter(&ks), dk, []byte(d.ID)); err != nil {
		return nil, err
	}
	removed, err := json.Marshal(map[string]any{"spec": sp, "keyset": json.RawMessage(ks.Bytes()), "pseudonyms": mapping})
	if err != nil {
		return nil, err
	}
	if d.Method, err = dk.Encrypt(removed, []byte(d.ID)); err != nil {
		return nil, err
	}
	d.MethodKey = wrapped
	e := a.Entry("dataset.create")
	e.Target, e.Category, e.Purpose = d.ID, d.Category, d.Purpose
	e.Detail = map[string]string{"kind": d.Kind, "rows": strconv.Itoa(rows), "items": strings.Join(sp.Items, ","), "use_purpose": strconv.Itoa(sp.UsePurpose)}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertDataset(ctx, d) }, e); err != nil {
		return nil, err
	}
	d.Data, d.Method, d.MethodKey = nil, nil, nil
	return d, nil
}

// pseudoSteps records the standards of 則31 as they were met.
func pseudoSteps(c *ledger.Category, sp PseudoSpec) []hogo.DatasetStep {
	var replaced, codes, money, left []string
	var replacedEn, codesEn, moneyEn, leftEn []string
	for _, it := range c.Items {
		if slices.Contains(sp.Items, it.ID) {
			continue
		}
		switch {
		case it.Type == ledger.TypeMyNumber || it.Type == ledger.TypeCode:
			codes, codesEn = append(codes, it.Name.Ja), append(codesEn, it.Name.En)
		case financial(it):
			money, moneyEn = append(money, it.Name.Ja), append(moneyEn, it.Name.En)
		case it.Identifier:
			replaced, replacedEn = append(replaced, it.Name.Ja), append(replacedEn, it.Name.En)
		default:
			left, leftEn = append(left, it.Name.Ja), append(leftEn, it.Name.En)
		}
	}
	list := func(ss []string, ja bool) string {
		switch {
		case len(ss) == 0 && ja:
			return "なし"
		case len(ss) == 0:
			return "none"
		case ja:
			return strings.Join(ss, "、")
		}
		return strings.Join(ss, ", ")
	}
	return []hogo.DatasetStep{
		{Rule: 1, Ja: "特定の個人を識別できる記述等を、この作成限りの鍵による仮名に置き換えました: " + list(replaced, true) + "。残さない項目も削除しました: " + list(left, true) + "。",
			En: "Descriptions identifying a person were replaced by a pseudonym keyed for this dataset alone: " + list(replacedEn, false) + ". Items not kept were removed: " + list(leftEn, false) + "."},
		{Rule: 2, Ja: "個人識別符号を削除しました: " + list(codes, true) + "。", En: "Identification codes were removed: " + list(codesEn, false) + "."},
		{Rule: 3, Ja: "不正に利用されることにより財産的被害が生じるおそれのある記述等を削除しました: " + list(money, true) + "。",
			En: "Descriptions that could cause financial damage if misused were removed: " + list(moneyEn, false) + "."},
	}
}

// Words are a text in Japanese and English.
type Words struct {
	Ja string `json:"ja"`
	En string `json:"en"`
}

// PseudoReport is the report of pseudonymised information: its rows, its
// use purpose and the changes of that purpose.
type PseudoReport struct {
	Rows       int             `json:"rows"`
	UsePurpose Words           `json:"use_purpose"`
	Changes    []PurposeChange `json:"purpose_changes,omitempty"`
}

// PurposeChange is one change of a pseudonymised dataset's use purpose.
type PurposeChange struct {
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	From  Words     `json:"from"`
	To    Words     `json:"to"`
}

// ChangeUsePurpose changes what pseudonymised information is used for, to
// another of the purposes the ledger publishes for it (APPI Art. 41(4),
// (9): a changed purpose is published, here by the ledger's notice, before
// the data is used for it), recorded on the dataset with its history and
// audited.
func (s *Service) ChangeUsePurpose(ctx context.Context, a hogo.Actor, id string, use int) (*hogo.Dataset, error) {
	if !slices.Contains(CreateRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "仮名加工情報の利用目的は個人情報保護管理者が変更します。",
			"the protection manager changes the purpose of pseudonymised information")
	}
	d, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if d.Kind != hogo.DatasetPseudonymized {
		return nil, invalid("id", "利用目的を変更できるのは仮名加工情報です。", "only pseudonymised information has a use purpose to change")
	}
	l, _ := s.ledger()
	if l == nil || l.Pseudonymized == nil || use < 0 || use >= len(l.Pseudonymized.Purposes) {
		return nil, invalid("use_purpose", "利用目的は台帳に公表している仮名加工情報の利用目的から選んでください（法第41条第4項）。",
			"choose the use purpose from the ledger's published purposes of pseudonymised information (APPI Art. 41(4))")
	}
	var rep PseudoReport
	if err := json.Unmarshal(d.Report, &rep); err != nil {
		return nil, err
	}
	to := l.Pseudonymized.Purposes[use]
	next := Words{Ja: to.Ja, En: to.En}
	if next == rep.UsePurpose {
		return nil, invalid("use_purpose", "今の利用目的と同じです。", "this is the purpose it has now")
	}
	now := s.Now()
	rep.Changes = append(rep.Changes, PurposeChange{At: now, Actor: a.Name, From: rep.UsePurpose, To: next})
	rep.UsePurpose = next
	b, err := json.Marshal(rep)
	if err != nil {
		return nil, err
	}
	e := a.Entry("dataset.purpose")
	e.Target, e.Category = d.ID, d.Category
	e.Detail = map[string]string{"use_purpose": strconv.Itoa(use)}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		return tx.UpdateDatasetReport(ctx, d.ID, hogo.DatasetPseudonymized, b)
	}, e); err != nil {
		return nil, err
	}
	d.Report = b
	return d, nil
}

// PublishedChange is a change of pseudonymised information's use purpose
// as the portal publishes it (APPI Art. 41(4)): when, of which category of
// person, from which purpose to which — never who changed it.
type PublishedChange struct {
	DatasetID string    `json:"dataset_id"`
	Category  string    `json:"category"`
	At        time.Time `json:"at"`
	From      Words     `json:"from"`
	To        Words     `json:"to"`
}

// Publications returns, from one read of the datasets, what is published
// of them: every anonymised dataset's title, kind, creation and
// publication times and item categories (never its report, steps, actor
// or purpose), and the changes of pseudonymised information's use purpose,
// newest first. It needs no actor: it is public.
func (s *Service) Publications(ctx context.Context) ([]*hogo.Dataset, []PublishedChange, error) {
	ds, err := s.store.ListDatasets(ctx)
	if err != nil {
		return nil, nil, err
	}
	var anon []*hogo.Dataset
	var changes []PublishedChange
	for _, d := range ds {
		switch d.Kind {
		case hogo.DatasetAnonymized:
			d.Report, d.Steps, d.Actor, d.Purpose = nil, nil, "", ""
			anon = append(anon, d)
		case hogo.DatasetPseudonymized:
			// Pseudonymised information itself is not published; its
			// purposes are, in the notice, and so are their changes.
			var rep PseudoReport
			if err := json.Unmarshal(d.Report, &rep); err != nil {
				return nil, nil, err
			}
			for _, c := range rep.Changes {
				changes = append(changes, PublishedChange{DatasetID: d.ID, Category: d.Category, At: c.At, From: c.From, To: c.To})
			}
		}
	}
	slices.SortStableFunc(changes, func(a, b PublishedChange) int { return b.At.Compare(a.At) })
	return anon, changes, nil
}
