// Package provision provides personal data to third parties (第三者提供) as
// an operation hogo decides and records: for every principal it finds the
// lawful basis (consent, an Art. 27(1) exception, opt-out, or not a third
// party at all: entrustment, joint use, succession), applies Art. 28 to
// recipients abroad, refuses principals who stopped provision, and writes
// the provider record of 則20 with its retention (則21) together with the
// export that actually goes out. All or nothing: if one principal has no
// lawful basis, nothing goes out.
package provision

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/tabular"
	"hogo.example.jp/hogo/vault"
)

// Store is what provisions need of a store.
type Store interface {
	hogo.ProvisionService
}

// Service provides and records.
type Service struct {
	store  Store
	audit  vault.Auditor
	vault  *vault.Service
	ledger func() (*ledger.Ledger, string)
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// New returns the provision service.
func New(store Store, auditor vault.Auditor, v *vault.Service, ledgerFn func() (*ledger.Ledger, string)) *Service {
	return &Service{store: store, audit: auditor, vault: v, ledger: ledgerFn, Now: time.Now}
}

// ProvideRoles provide: staff who work with recipients, and the
// protection manager.
var ProvideRoles = []hogo.Role{hogo.RoleStaff, hogo.RoleManager}

// RecordRoles read provision records: the protection manager, the desk
// (for rights requests), the auditor.
var RecordRoles = []hogo.Role{hogo.RoleManager, hogo.RoleDesk, hogo.RoleAuditor}

// MaxPrincipals bounds one provision.
const MaxPrincipals = 100_000

// Input is a provision as asked for.
type Input struct {
	Recipient  string   `json:"recipient"`
	Principals []string `json:"principals"`
	Items      []string `json:"items"`
	Basis      string   `json:"basis"`
	// Category is needed only when several categories list the recipient
	// and hold the items.
	Category string `json:"category,omitempty"`
	// Exception (an Art. 27(1) code) and Justification, for basis
	// exception (and succession: the justification names the deal).
	Exception     string `json:"exception,omitempty"`
	Justification string `json:"justification,omitempty"`
	// Format of the export: csv (default), xlsx or json.
	Format string `json:"format,omitempty"`
}

// Refusal is why one principal may not be provided.
type Refusal struct {
	Principal string `json:"principal"`
	Reason    string `json:"reason"`
}

// Reasons a principal is refused.
const (
	ReasonNoConsent        = "no_consent"         // no standing consent to this recipient (Art. 27(1), 28(1))
	ReasonProvisionStopped = "provision_stopped"  // provision stopped at the principal's request (Art. 35(3))
	ReasonSuspended        = "suspended"          // all use stopped (Art. 35(1))
	ReasonNotHeld          = "not_held"           // no record of the category
	ReasonOptOutSensitive  = "opt_out_not_lawful" // opt-out never covers special-care data (Art. 27(2))
)

// reasonJa names the reasons in Japanese, for messages.
var reasonJa = map[string]string{
	ReasonNoConsent:        "有効な同意なし",
	ReasonProvisionStopped: "第三者提供の停止中",
	ReasonSuspended:        "利用停止中",
	ReasonNotHeld:          "該当する記録なし",
}

// Decision is what the rules say about a provision.
type Decision struct {
	// Candidates are the categories the provision may draw from; Category
	// is the one chosen (Narrow).
	Candidates []*ledger.Category
	Category   *ledger.Category
	// Foreign is the Art. 28 ground for a recipient abroad.
	Foreign  string
	Refusals []Refusal
}

// candidates are the categories the provision may draw from: those that
// hold every item and, for a provision to a recipient or a processor, list
// it in the ledger (an exception, a succession or a joint use may draw from
// any category holding the items).
func candidates(l *ledger.Ledger, in Input, processor bool) []*ledger.Category {
	var out []*ledger.Category
	for _, c := range l.Categories {
		if in.Category != "" && c.ID != in.Category {
			continue
		}
		listed := processor && slices.ContainsFunc(c.Processors, func(r ledger.Ref) bool { return r.ID == in.Recipient })
		listed = listed || (!processor && slices.ContainsFunc(c.Recipients, func(r ledger.Ref) bool { return r.ID == in.Recipient }))
		if !listed && in.Basis != hogo.ProvisionException && in.Basis != hogo.ProvisionSuccession && in.Basis != hogo.ProvisionJointUse {
			continue
		}
		all := true
		for _, it := range in.Items {
			all = all && l.Item(c.ID, it) != nil
		}
		if all {
			out = append(out, c)
		}
	}
	return out
}

// Narrow picks the category among the candidates: the one the principal
// holds (the first principal decides; the others must hold it too, or
// they are refused as not held).
func (d *Decision) Narrow(held []string) error {
	if len(d.Candidates) == 1 {
		d.Category = d.Candidates[0]
		return nil
	}
	var match []*ledger.Category
	for _, c := range d.Candidates {
		if slices.Contains(held, c.ID) {
			match = append(match, c)
		}
	}
	switch len(match) {
	case 1:
		d.Category = match[0]
		return nil
	case 0:
		return hogo.NewError(hogo.EINVALID, "principals", "最初の本人は、指定の項目を持つ種別の記録を持っていません。", "the first principal holds no record of a category with those items")
	}
	ids := make([]string, len(match))
	for i, c := range match {
		ids[i] = c.ID
	}
	return hogo.NewError(hogo.EINVALID, "category", "指定の項目を持つ種別が複数あります。category で次のいずれかを指定してください: %s",
		"several categories hold the items; name one as category: %s", strings.Join(ids, ", "))
}

// Check validates a provision against the ledger and the law before any
// personal data is read: the recipient, basis, items, exception.
func Check(l *ledger.Ledger, in Input) (*Decision, error) {
	if !slices.Contains(hogo.ProvisionBases, in.Basis) {
		return nil, hogo.NewError(hogo.EINVALID, "basis", "提供の根拠（basis）は次のいずれかです: %s", "basis must be one of: %s",
			strings.Join(hogo.ProvisionBases, ", "))
	}
	rc := l.Recipient(in.Recipient)
	var proc *ledger.Processor
	if in.Basis == hogo.ProvisionEntrustment {
		proc = l.Processor(in.Recipient)
		if proc == nil {
			return nil, hogo.NewError(hogo.EINVALID, "recipient", "委託による提供の相手は台帳の委託先（processors）です。「%s」は委託先にありません。",
				"an entrustment goes to a processor of the ledger; %q is not one", in.Recipient)
		}
	} else if rc == nil {
		return nil, hogo.NewError(hogo.EINVALID, "recipient", "提供先「%s」は台帳の提供先（recipients）にありません。", "recipient %q is not in the ledger's recipients", in.Recipient)
	}
	if len(in.Items) == 0 {
		return nil, hogo.NewError(hogo.EINVALID, "items", "提供する項目（items）を指定してください。", "name the items to provide")
	}
	if len(in.Principals) == 0 {
		return nil, hogo.NewError(hogo.EINVALID, "principals", "提供する本人（principals）を指定してください。", "name the principals to provide")
	}
	if len(in.Principals) > MaxPrincipals {
		return nil, hogo.NewError(hogo.EINVALID, "principals", "一度に提供できる本人は%d人までです。", "at most %d principals at a time", MaxPrincipals)
	}
	seen := map[string]bool{}
	for i, p := range in.Principals {
		if seen[p] {
			return nil, hogo.NewError(hogo.EINVALID, "principals", "本人（%d番目）が重複しています。", "principal number %d is named twice", i+1)
		}
		seen[p] = true
	}
	d := &Decision{Candidates: candidates(l, in, proc != nil)}
	if len(d.Candidates) == 0 {
		return nil, hogo.NewError(hogo.EINVALID, "items", "提供先「%s」に提供できると台帳に書かれた種別で、指定の項目をすべて持つものがありません。台帳の recipients・processors と items を確かめてください。",
			"no category that the ledger lists for %q holds all the items given; check the ledger's recipients, processors and the items", in.Recipient)
	}
	noBasis := func(ja, en string, args ...any) error {
		e := hogo.NewError(hogo.ENOLAWFULBASIS, "basis", ja, en, args...)
		return e
	}
	for _, id := range in.Items {
		var it *ledger.Item
		for _, c := range d.Candidates {
			if x := l.Item(c.ID, id); x != nil && (it == nil || x.MyNumber() || x.Sensitive) {
				it = x
			}
		}
		if it.MyNumber() {
			// 番号法 Art. 19: individual numbers go only where the Act
			// lists; not by consent, opt-out or an ordinary exception.
			if in.Basis != hogo.ProvisionEntrustment && !(in.Basis == hogo.ProvisionException && in.Exception == ledger.ExceptionLaw) {
				return nil, noBasis("個人番号「%s」は番号法第19条の場合に限り提供できます（委託、または法令に基づく場合）。",
					"the individual number %q may be provided only as the My Number Act Art. 19 allows (entrustment, or as a law requires)", id)
			}
		}
		if it.Sensitive && in.Basis == hogo.ProvisionOptOut {
			return nil, noBasis("要配慮個人情報「%s」はオプトアウトでは提供できません（個人情報保護法第27条第2項）。",
				"special-care item %q cannot be provided by opt-out (APPI Art. 27(2))", id)
		}
	}
	switch in.Basis {
	case hogo.ProvisionException:
		if !slices.Contains(ledger.Exceptions, in.Exception) {
			return nil, hogo.NewError(hogo.EINVALID, "exception", "例外（exception）は次のいずれかです: %s", "exception must be one of: %s", strings.Join(ledger.Exceptions, ", "))
		}
		if len(l.Provision.Exceptions) > 0 && !slices.Contains(l.Provision.Exceptions, in.Exception) {
			return nil, noBasis("例外「%s」は台帳の第三者提供の例外に掲げられていません。", "exception %q is not among the ledger's exceptions to provision", in.Exception)
		}
		if strings.TrimSpace(in.Justification) == "" {
			return nil, hogo.NewError(hogo.EINVALID, "justification", "例外による提供には理由（justification）が必要です（個人情報保護法第27条第1項）。",
				"a provision under an exception needs a justification (APPI Art. 27(1))")
		}
	case hogo.ProvisionOptOut:
		if rc.Basis != ledger.BasisOptOut {
			return nil, noBasis("提供先「%s」はオプトアウトによる提供先として台帳に届け出られていません（個人情報保護法第27条第2項）。",
				"recipient %q is not registered for opt-out provision (APPI Art. 27(2))", in.Recipient)
		}
	case hogo.ProvisionJointUse:
		kept := d.Candidates[:0]
		for _, c := range d.Candidates {
			if jointUse(l, c.ID) {
				kept = append(kept, c)
			}
		}
		if d.Candidates = kept; len(kept) == 0 {
			return nil, noBasis("指定の項目を持つ種別は台帳の共同利用に含まれていません（個人情報保護法第27条第5項第3号）。",
				"no category holding the items is in a joint use of the ledger (APPI Art. 27(5)(iii))")
		}
	case hogo.ProvisionSuccession:
		if strings.TrimSpace(in.Justification) == "" {
			return nil, hogo.NewError(hogo.EINVALID, "justification", "事業の承継による提供には、その事業承継（合併・事業譲渡等）を justification に記してください。",
				"a provision on a business succession needs the succession named in justification")
		}
	}
	// APPI Art. 28: abroad, only to a country with an equivalent regime,
	// a recipient with equivalent measures, by consent, or by exception.
	var foreign *ledger.Foreign
	if rc != nil {
		foreign = rc.Foreign
	} else if proc != nil {
		foreign = proc.Foreign
	}
	if foreign != nil {
		switch {
		case foreign.Basis == "eu_uk" || foreign.Basis == "equivalent_system":
			d.Foreign = foreign.Basis
		case in.Basis == hogo.ProvisionConsent || in.Basis == hogo.ProvisionException:
			d.Foreign = in.Basis
		default:
			return nil, noBasis("提供先は外国にあり、同等の制度・体制の根拠がないため、本人の同意か法令上の例外が必要です（個人情報保護法第28条第1項）。",
				"the recipient is abroad without an equivalent regime or system, so consent or a legal exception is needed (APPI Art. 28(1))")
		}
	}
	return d, nil
}

func jointUse(l *ledger.Ledger, category string) bool {
	for _, j := range l.JointUses {
		if slices.ContainsFunc(j.Categories, func(r ledger.Ref) bool { return r.ID == category }) {
			return true
		}
	}
	return false
}

// Judge decides each principal: a stopped provision or all use stopped is
// refused whatever the basis; consent needs a standing consent to the
// recipient in its current wording.
func Judge(l *ledger.Ledger, in Input, ps []vault.Provided, t time.Time) []Refusal {
	var out []Refusal
	for _, p := range ps {
		switch {
		case !p.Held:
			out = append(out, Refusal{p.Principal, ReasonNotHeld})
		case vault.ProvisionStopped(p.Suspended) && thirdParty(in.Basis):
			out = append(out, Refusal{p.Principal, ReasonProvisionStopped})
		case slices.Contains(p.Suspended, "*"):
			out = append(out, Refusal{p.Principal, ReasonSuspended})
		case in.Basis == hogo.ProvisionConsent && !vault.ConsentedTo(l, p.Consents, in.Recipient, t):
			out = append(out, Refusal{p.Principal, ReasonNoConsent})
		}
	}
	return out
}

// thirdParty reports whether a basis is a provision to a third party (the
// others are not, APPI Art. 27(5)).
func thirdParty(basis string) bool {
	return basis == hogo.ProvisionConsent || basis == hogo.ProvisionException || basis == hogo.ProvisionOptOut
}

// Record is a provision record as shown (則20).
type Record struct {
	ID             string `json:"id"`
	Recipient      string `json:"recipient"`
	RecipientName  string `json:"recipient_name"`
	Address        string `json:"recipient_address,omitempty"`
	Representative string `json:"recipient_representative,omitempty"`
	Basis          string `json:"basis"`
	// Statement is the record's statement of the basis, e.g. 本人の同意を得ている旨.
	Statement    string    `json:"statement"`
	Exception    string    `json:"exception,omitempty"`
	Foreign      string    `json:"foreign,omitempty"`
	Category     string    `json:"category"`
	Items        []string  `json:"items"`
	ItemNames    []string  `json:"item_names"`
	Principals   []string  `json:"principals"`
	Count        int       `json:"count"`
	ProvidedAt   time.Time `json:"provided_at"`
	ProvidedOn   string    `json:"provided_on"`
	Actor        string    `json:"actor"`
	RecordMethod string    `json:"record_method"`
	RetainUntil  string    `json:"retain_until"`
	ExportFormat string    `json:"export_format"`
	ExportSHA256 string    `json:"export_sha256"`
	ExportURL    string    `json:"export_url"`
}

var statements = map[string]string{
	hogo.ProvisionConsent:     "本人の同意を得ている旨（個人情報保護法第27条第1項）",
	hogo.ProvisionException:   "法令上の例外による提供（個人情報保護法第27条第1項各号）",
	hogo.ProvisionOptOut:      "オプトアウトによる提供（個人情報保護法第27条第2項）",
	hogo.ProvisionEntrustment: "委託に伴う提供（個人情報保護法第27条第5項第1号、第三者提供に当たらない）",
	hogo.ProvisionJointUse:    "共同利用（個人情報保護法第27条第5項第3号、第三者提供に当たらない）",
	hogo.ProvisionSuccession:  "事業の承継に伴う提供（個人情報保護法第27条第5項第2号、第三者提供に当たらない）",
}

func (s *Service) record(l *ledger.Ledger, p *hogo.Provision) Record {
	r := Record{ID: p.ID, Recipient: p.Recipient, RecipientName: p.Recipient, Basis: p.Basis, Statement: statements[p.Basis],
		Exception: p.Exception, Foreign: p.Foreign, Category: p.Category, Items: p.Items, Principals: p.Principals, Count: max(p.Count, len(p.Principals)),
		ProvidedAt: p.ProvidedAt.In(hogo.Tokyo), ProvidedOn: calendar.DateOf(p.ProvidedAt).String(), Actor: p.Actor, RecordMethod: p.RecordMethod,
		RetainUntil: p.RetainUntil, ExportFormat: p.ExportFormat, ExportSHA256: p.ExportSHA256, ExportURL: "/api/v1/provisions/" + p.ID + "/export"}
	if rc := l.Recipient(p.Recipient); rc != nil {
		r.RecipientName, r.Address, r.Representative = rc.Name.Ja, rc.Address.Ja, rc.Representative.Ja
	} else if pr := l.Processor(p.Recipient); pr != nil {
		r.RecipientName, r.Address = pr.Name.Ja, pr.Address.Ja
	}
	for _, it := range p.Items {
		name := it
		if x := l.Item(p.Category, it); x != nil {
			name = x.Name.Ja
		}
		r.ItemNames = append(r.ItemNames, name)
	}
	if r.Principals == nil {
		r.Principals = []string{}
	}
	return r
}

func identitiesAD(id string) string { return "provision identities\x00" + id }
func exportAD(id string) string     { return "provision export\x00" + id }
func justificationAD(id string) string {
	return "provision justification\x00" + id
}

// Provide decides a provision and, when every principal has a lawful
// basis, records it with the export that goes out; otherwise it refuses
// with no_lawful_basis, saying why for each principal refused, and nothing
// goes out. Refusals are audited too.
func (s *Service) Provide(ctx context.Context, a hogo.Actor, in Input) (*Record, error) {
	if !slices.Contains(ProvideRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "役割「%s」は第三者提供を行えません。提供は業務担当（staff）か個人情報保護管理者（manager）が行います。",
			"role %q may not provide personal data to third parties; provision is for staff or the protection manager", string(a.Role))
	}
	l, _ := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	format := strings.ToLower(in.Format)
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "xlsx" && format != "json" {
		return nil, hogo.NewError(hogo.EINVALID, "format", "出力形式（format）は csv、xlsx、json のいずれかです。", "format is csv, xlsx or json")
	}
	d, ps, now, err := s.decide(ctx, a, l, in)
	if err != nil {
		return nil, err
	}
	p := &hogo.Provision{ID: vault.NewID(now), Recipient: in.Recipient, Basis: in.Basis, Exception: in.Exception, Foreign: d.Foreign,
		Category: d.Category.ID, Items: in.Items, Principals: in.Principals, ProvidedAt: now, Actor: a.Name, ExportFormat: format}
	p.RecordMethod = ledger.RecordIndividual
	if rc := l.Recipient(in.Recipient); rc != nil && rc.RecordMethod != "" {
		p.RecordMethod = rc.RecordMethod
	}
	p.RetainUntil = calendar.DateOf(now.AddDate(ledger.RecordYears(p.RecordMethod), 0, 0)).String()
	ids := make(map[string]string, len(ps))
	for _, x := range ps {
		ids[x.Principal] = x.Name
	}
	idJSON, _ := json.Marshal(ids)
	if p.Identities, err = s.vault.SealNote(ctx, string(idJSON), identitiesAD(p.ID)); err != nil {
		return nil, err
	}
	if in.Justification != "" {
		if p.Justification, err = s.vault.SealNote(ctx, in.Justification, justificationAD(p.ID)); err != nil {
			return nil, err
		}
	}
	data, err := export(l, d.Category, in.Items, ps, format)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	p.ExportSHA256 = hex.EncodeToString(sum[:])
	if p.Export, err = s.vault.SealNote(ctx, string(data), exportAD(p.ID)); err != nil {
		return nil, err
	}
	entries := make([]*hogo.AuditEntry, 0, len(ps)+1)
	head := a.Entry("provision.create")
	head.Target, head.Category = p.ID, p.Category
	head.Detail = map[string]string{"recipient": p.Recipient, "basis": p.Basis, "items": strings.Join(p.Items, ","),
		"principals": strconv.Itoa(len(ps)), "format": format, "sha256": p.ExportSHA256}
	if p.Exception != "" {
		head.Detail["exception"] = p.Exception
	}
	if p.Foreign != "" {
		head.Detail["foreign"] = p.Foreign
	}
	entries = append(entries, head)
	for _, x := range ps {
		e := a.Entry("principal.provide")
		e.Principal, e.Category, e.Target = x.Principal, p.Category, p.ID
		e.Detail = map[string]string{"recipient": p.Recipient, "basis": p.Basis}
		entries = append(entries, e)
	}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertProvision(ctx, p) }, entries...); err != nil {
		return nil, err
	}
	r := s.record(l, p)
	return &r, nil
}

// decide runs the rules, reads the principals and judges each; a refusal
// is audited and returned as an error.
func (s *Service) decide(ctx context.Context, a hogo.Actor, l *ledger.Ledger, in Input) (*Decision, []vault.Provided, time.Time, error) {
	fail := func(err error) (*Decision, []vault.Provided, time.Time, error) { return nil, nil, time.Time{}, err }
	d, err := Check(l, in)
	if err != nil {
		var he *hogo.Error
		if errors.As(err, &he) && he.Code == hogo.ENOLAWFULBASIS {
			s.refused(ctx, a, in, he.Message, nil)
		}
		return fail(err)
	}
	if len(d.Candidates) > 1 {
		held, err := s.vault.CategoriesOf(ctx, in.Principals[0])
		if err != nil {
			return fail(err)
		}
		if err := d.Narrow(held); err != nil {
			return fail(err)
		}
	} else if err := d.Narrow(nil); err != nil {
		return fail(err)
	}
	ps, err := s.vault.ForProvision(ctx, in.Principals, d.Category.ID, in.Items)
	if err != nil {
		return fail(err)
	}
	now := s.Now()
	if refusals := Judge(l, in, ps, now); len(refusals) > 0 {
		counts := map[string]int{}
		for _, r := range refusals {
			counts[r.Reason]++
		}
		var parts, partsJa []string
		for _, k := range []string{ReasonNoConsent, ReasonProvisionStopped, ReasonSuspended, ReasonNotHeld} {
			if counts[k] > 0 {
				parts = append(parts, k+"="+strconv.Itoa(counts[k]))
				partsJa = append(partsJa, reasonJa[k]+" "+strconv.Itoa(counts[k])+"人")
			}
		}
		e := hogo.NewError(hogo.ENOLAWFULBASIS, "principals",
			"%d人の本人について提供の法的根拠がないため、誰の個人データも提供していません（%s）。同意の記録、提供の停止、利用停止を確かめてください。",
			"%d of the principals have no lawful basis for this provision, so nothing was provided (%s); check their consents and stops", len(refusals), strings.Join(parts, ", "))
		e.Ja = fmt.Sprintf("%d人の本人について提供の法的根拠がないため、誰の個人データも提供していません（%s）。同意の記録、提供の停止、利用停止を確かめてください。",
			len(refusals), strings.Join(partsJa, "、"))
		e.Reason = refusals[0].Reason
		s.refused(ctx, a, in, strings.Join(parts, ","), refusals)
		return fail(&RefusedError{Err: e, Refusals: refusals})
	}
	return d, ps, now, nil
}

// Preview is the decision on a provision, shown before anything goes out.
type Preview struct {
	Category  string    `json:"category"`
	Foreign   string    `json:"foreign,omitempty"`
	Statement string    `json:"statement"`
	Count     int       `json:"count"`
	Refusals  []Refusal `json:"refusals,omitempty"`
	// Err is the refusal, when there is one.
	Err *hogo.Error `json:"-"`
}

// Preview decides a provision without providing: the console shows the
// legal-basis decision before the member of staff confirms. Reading the
// principals for it is audited.
func (s *Service) Preview(ctx context.Context, a hogo.Actor, in Input) (*Preview, error) {
	if !slices.Contains(ProvideRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "役割「%s」は第三者提供を行えません。", "role %q may not provide personal data to third parties", string(a.Role))
	}
	l, _ := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	d, ps, _, err := s.decide(ctx, a, l, in)
	pv := &Preview{Statement: statements[in.Basis], Count: len(in.Principals)}
	var re *RefusedError
	var he *hogo.Error
	switch {
	case errors.As(err, &re):
		pv.Refusals, pv.Err = re.Refusals, re.Err
		return pv, nil
	case errors.As(err, &he) && he.Code == hogo.ENOLAWFULBASIS:
		pv.Err = he
		return pv, nil
	case err != nil:
		return nil, err
	}
	pv.Category, pv.Foreign = d.Category.ID, d.Foreign
	e := a.Entry("provision.preview")
	e.Category = d.Category.ID
	e.Detail = map[string]string{"recipient": in.Recipient, "basis": in.Basis, "principals": strconv.Itoa(len(ps))}
	return pv, s.audit.Append(ctx, e)
}

// RefusedError is a provision refused for want of a lawful basis, with the
// principals refused and why.
type RefusedError struct {
	Err      *hogo.Error
	Refusals []Refusal
}

func (e *RefusedError) Error() string { return e.Err.Error() }

// Unwrap lets errors.As find the domain error.
func (e *RefusedError) Unwrap() error { return e.Err }

func (s *Service) refused(ctx context.Context, a hogo.Actor, in Input, why string, refusals []Refusal) {
	e := a.Entry("provision.refused")
	e.Outcome = hogo.OutcomeDenied
	e.Detail = map[string]string{"recipient": in.Recipient, "basis": in.Basis, "principals": strconv.Itoa(len(in.Principals)),
		"refused": strconv.Itoa(len(refusals)), "why": why}
	s.audit.Append(ctx, e)
}

// export writes what goes out: one row per principal, the items in ledger
// order, with item names as headers.
func export(l *ledger.Ledger, c *ledger.Category, items []string, ps []vault.Provided, format string) ([]byte, error) {
	var order []*ledger.Item
	for _, it := range c.Items {
		if slices.Contains(items, it.ID) {
			order = append(order, it)
		}
	}
	var buf bytes.Buffer
	if format == "json" {
		rows := make([]map[string]string, len(ps))
		for i, p := range ps {
			row := map[string]string{}
			for _, it := range order {
				row[it.ID] = p.Items[it.ID]
			}
			rows[i] = row
		}
		b, err := json.MarshalIndent(map[string]any{"category": c.ID, "items": items, "rows": rows}, "", "  ")
		return b, err
	}
	w, err := tabular.NewWriter(&buf, format, "utf-8", "提供データ")
	if err != nil {
		return nil, err
	}
	head := make([]string, len(order))
	for i, it := range order {
		head[i] = it.Name.Ja
	}
	if err := w.WriteRow(head); err != nil {
		return nil, err
	}
	row := make([]string, len(order))
	for _, p := range ps {
		for i, it := range order {
			row[i] = p.Items[it.ID]
		}
		if err := w.WriteRow(row); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// List returns the provision records that included principal ("" for
// all), newest first, audited.
func (s *Service) List(ctx context.Context, a hogo.Actor, principal string) ([]Record, error) {
	if !slices.Contains(RecordRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "提供記録は個人情報保護管理者・窓口・監査担当が見られます。",
			"provision records are for the protection manager, the desk and the auditor")
	}
	if principal != "" && !vault.ValidID(principal) {
		return nil, hogo.NewError(hogo.EINVALID, "principal", "本人IDの形が正しくありません。", "the principal ID is not well formed")
	}
	l, _ := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	ps, err := s.store.ListProvisions(ctx, principal, 500)
	if err != nil {
		return nil, err
	}
	out := make([]Record, len(ps))
	for i, p := range ps {
		out[i] = s.record(l, p)
	}
	e := a.Entry("provision.list")
	e.Principal = principal
	e.Detail = map[string]string{"count": strconv.Itoa(len(out))}
	return out, s.audit.Append(ctx, e)
}

// ForPrincipal returns the records of a principal for a rights request
// answered by the caller (disclosure of provision records, APPI Art.
// 33(5)); the caller audits.
func (s *Service) ForPrincipal(ctx context.Context, principal string) ([]Record, error) {
	l, _ := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	ps, err := s.store.ListProvisions(ctx, principal, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]Record, len(ps))
	for i, p := range ps {
		out[i] = s.record(l, p)
	}
	return out, nil
}

// Export returns the export that went out with a provision, opened and
// audited.
func (s *Service) Export(ctx context.Context, a hogo.Actor, id string) (name, contentType string, data []byte, err error) {
	if a.Role != hogo.RoleManager && a.Role != hogo.RoleStaff {
		return "", "", nil, hogo.NewError(hogo.EFORBIDDEN, "role", "提供データは提供した業務担当か個人情報保護管理者が取り出せます。",
			"the export is for the staff who provided it or the protection manager")
	}
	if !vault.ValidID(id) {
		return "", "", nil, hogo.NewError(hogo.ENOTFOUND, "id", "提供記録が見つかりません。", "no such provision record")
	}
	p, err := s.store.GetProvision(ctx, id)
	if err != nil {
		return "", "", nil, err
	}
	if a.Role == hogo.RoleStaff && p.Actor != a.Name {
		return "", "", nil, hogo.NewError(hogo.EFORBIDDEN, "role", "他の担当者の提供データは取り出せません。", "staff may take out only their own provisions")
	}
	text, err := s.vault.OpenNote(ctx, p.Export, exportAD(p.ID))
	if err != nil {
		return "", "", nil, err
	}
	e := a.Entry("provision.export")
	e.Target, e.Category = p.ID, p.Category
	e.Detail = map[string]string{"principals": strconv.Itoa(len(p.Principals)), "sha256": p.ExportSHA256}
	if err := s.audit.Append(ctx, e); err != nil {
		return "", "", nil, err
	}
	ct := map[string]string{"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"json": "application/json"}[p.ExportFormat]
	return "provision-" + p.ID + "." + p.ExportFormat, ct, []byte(text), nil
}
