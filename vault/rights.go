package vault

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// The vault's side of answering rights requests (開示等の請求, APPI Art.
// 32–35). Answering a request is itself a use the Act requires, so these
// operations do not ask for a declared purpose: they name the request
// (its receipt number) instead, which every audit entry carries as its
// target, and they are open only to the roles that answer requests.

// StopProvision is the suspension key that records a stop of third-party
// provision at the principal's request (第三者提供の停止, APPI Art. 35(3)).
// It is kept with the purpose suspensions; provision checks it.
const StopProvision = "@provision"

// RightsRoles answer rights requests: the desk and the protection manager.
var RightsRoles = []hogo.Role{hogo.RoleDesk, hogo.RoleManager}

// ProvisionStopped reports whether the principal had third-party provision
// of their data stopped.
func ProvisionStopped(suspended []string) bool { return slices.Contains(suspended, StopProvision) }

func rightsRole(a hogo.Actor) error {
	if !slices.Contains(RightsRoles, a.Role) {
		return hogo.NewError(hogo.EFORBIDDEN, "role", "開示等の請求への対応は窓口（desk）か個人情報保護管理者（manager）が行います。",
			"rights requests are answered by the desk or the protection manager")
	}
	return nil
}

func rightsEntry(a hogo.Actor, action, principal, receipt string) *hogo.AuditEntry {
	e := a.Entry(action)
	e.Principal, e.Target = principal, receipt
	e.Detail = map[string]string{"basis": "APPI Art. 32-35 request"}
	return e
}

// RightsView reads everything the vault holds on a principal, every item
// of every record, to answer the request receipt (APPI Art. 33: disclosure
// covers all retained personal data, whatever the reader's usual rules).
// The read is audited against the request.
func (s *Service) RightsView(ctx context.Context, a hogo.Actor, principal, receipt string) (*View, error) {
	if err := rightsRole(a); err != nil {
		return nil, err
	}
	if _, _, err := s.current(); err != nil {
		return nil, err
	}
	if !ValidID(principal) {
		return nil, errNoPrincipal()
	}
	p, err := s.store.GetPrincipal(ctx, principal)
	if err != nil {
		return nil, err
	}
	v := &View{ID: p.ID, CreatedAt: p.CreatedAt.In(hogo.Tokyo), Suspended: p.Suspended, Records: make([]*RecordView, 0, len(p.Records))}
	if len(p.Records) > 0 {
		dk, err := s.keys.OpenDataKey(p.ID, p.WrappedKey)
		if err != nil {
			return nil, err
		}
		for _, r := range p.Records {
			items, err := open(dk, r)
			if err != nil {
				return nil, err
			}
			v.Records = append(v.Records, &RecordView{ID: r.ID, Category: r.Category, Source: r.Source, AcquiredAt: r.AcquiredAt.In(hogo.Tokyo),
				Purposes: r.Purposes, NoticeVersion: r.NoticeVersion, Version: r.Version, UpdatedAt: r.UpdatedAt.In(hogo.Tokyo), Items: items})
		}
	}
	e := rightsEntry(a, "principal.rights_read", p.ID, receipt)
	e.Detail["records"] = strconv.Itoa(len(v.Records))
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return v, nil
}

// Correction is a change of one item made to answer a correction request
// (訂正・追加・削除, APPI Art. 34), with the values before and after: the
// caller keeps them sealed in the request's case file, and the audit entry
// names only the items.
type Correction struct {
	Record   string `json:"record"`
	Category string `json:"category"`
	Item     string `json:"item"`
	Before   string `json:"before"`
	After    string `json:"after"`
}

// RightsCorrect applies a correction of a record to answer the request
// receipt: items map to their new values; an empty value deletes the item
// (a required item cannot be deleted). It returns the changes made.
func (s *Service) RightsCorrect(ctx context.Context, a hogo.Actor, principal, record, receipt string, items map[string]string) ([]Correction, error) {
	if err := rightsRole(a); err != nil {
		return nil, err
	}
	l, _, err := s.current()
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, hogo.NewError(hogo.EINVALID, "items", "訂正する項目がありません。", "items to change are required")
	}
	if !ValidID(principal) {
		return nil, errNoPrincipal()
	}
	p, err := s.store.GetPrincipal(ctx, principal)
	if err != nil {
		return nil, err
	}
	var r *hogo.Record
	for _, x := range p.Records {
		if x.ID == record {
			r = x
		}
	}
	if r == nil {
		return nil, hogo.NewError(hogo.ENOTFOUND, "record", "記録が見つかりません。", "no such record")
	}
	c := l.Category(r.Category)
	if c == nil {
		return nil, hogo.NewError(hogo.EINVALID, "record", "記録の種別「%s」は現在の台帳にありません。", "the record's category %q is not in the ledger in force", r.Category)
	}
	changed := make([]string, 0, len(items))
	for k := range items {
		changed = append(changed, k)
	}
	sort.Strings(changed)
	if err := unknownItem(l, c, changed); err != nil {
		return nil, err
	}
	set := map[string]string{}
	for k, v := range items {
		if strings.TrimSpace(v) != "" {
			set[k] = v
		} else if it := l.Item(c.ID, k); it != nil && it.Required {
			return nil, hogo.NewError(hogo.EINVALID, "items."+k, "必須項目「%s」は削除できません。訂正後の値を記入してください。",
				"required item %q cannot be deleted; give its corrected value", k)
		}
	}
	vals, err := checkItems(l, c, set)
	if err != nil {
		return nil, err
	}
	dk, err := s.keys.OpenDataKey(p.ID, p.WrappedKey)
	if err != nil {
		return nil, err
	}
	cur, err := open(dk, r)
	if err != nil {
		return nil, err
	}
	var out []Correction
	for _, k := range changed {
		before := cur[k]
		after, ok := vals[k]
		if ok {
			cur[k] = after
		} else {
			delete(cur, k)
		}
		if before != after {
			out = append(out, Correction{Record: r.ID, Category: c.ID, Item: k, Before: before, After: after})
		}
	}
	if len(out) == 0 {
		return nil, hogo.NewError(hogo.EINVALID, "items", "訂正後の値が現在の値と同じです。", "the corrected values are the same as the current ones")
	}
	now := s.Now()
	nr := *r
	nr.Version, nr.UpdatedAt = r.Version+1, now
	if nr.Sealed, err = seal(dk, p.ID, r.ID, cur); err != nil {
		return nil, err
	}
	nr.Lookups = s.lookups(c, cur)
	e := rightsEntry(a, "record.correct", p.ID, receipt)
	e.Category = c.ID
	names := make([]string, len(out))
	for i, x := range out {
		names[i] = x.Item
	}
	e.Detail["record"], e.Detail["items"], e.Detail["version"] = r.ID, strings.Join(names, ","), strconv.FormatInt(nr.Version, 10)
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateRecord(ctx, &nr) }, e); err != nil {
		return nil, err
	}
	return out, nil
}

// Kept is a category whose records an erasure kept, and why: a retention
// rule with a legal basis (e.g. 労働基準法第109条 for employee registers).
type Kept struct {
	Category   string `json:"category"`
	Records    int    `json:"records"`
	LegalBasis string `json:"legal_basis"`
}

// Erased is what RightsErase did.
type Erased struct {
	// Records is how many records were destroyed.
	Records int `json:"records"`
	// Whole is set when the principal was erased entirely: the data key
	// destroyed (crypto-shredding) and a tombstone left.
	Whole bool   `json:"whole"`
	Kept  []Kept `json:"kept,omitempty"`
}

// RightsErase erases a principal's data to answer an erasure request
// (消去, APPI Art. 35), except records of categories whose retention rule
// has a legal basis, which are kept and reported. When nothing is to be
// kept the principal is erased entirely.
func (s *Service) RightsErase(ctx context.Context, a hogo.Actor, principal, receipt string) (*Erased, error) {
	if err := rightsRole(a); err != nil {
		return nil, err
	}
	l, _, err := s.current()
	if err != nil {
		return nil, err
	}
	if !ValidID(principal) {
		return nil, errNoPrincipal()
	}
	p, err := s.store.GetPrincipal(ctx, principal)
	if err != nil {
		return nil, err
	}
	var drop []string
	kept := map[string]*Kept{}
	var order []string
	for _, r := range p.Records {
		basis := legalBasis(l, r.Category)
		if basis == "" {
			drop = append(drop, r.ID)
			continue
		}
		k := kept[r.Category]
		if k == nil {
			k = &Kept{Category: r.Category, LegalBasis: basis}
			kept[r.Category] = k
			order = append(order, r.Category)
		}
		k.Records++
	}
	out := &Erased{Records: len(drop)}
	for _, c := range order {
		out.Kept = append(out.Kept, *kept[c])
	}
	if len(out.Kept) == 0 {
		if err := s.erase(ctx, a, []string{p.ID}, "開示等の請求（消去） 受付番号 "+receipt, nil); err != nil {
			return nil, err
		}
		out.Whole = true
		return out, nil
	}
	if len(drop) == 0 {
		return out, nil
	}
	e := rightsEntry(a, "record.erase", p.ID, receipt)
	e.Detail["records"] = strconv.Itoa(len(drop))
	e.Detail["kept"] = strconv.Itoa(len(p.Records) - len(drop))
	err = s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		n, err := tx.DeleteRecords(ctx, p.ID, drop)
		if err != nil {
			return err
		}
		out.Records = n
		return nil
	}, e)
	return out, err
}

// legalBasis returns the legal basis of a category's retention rule, in
// Japanese, or "" when it has none.
func legalBasis(l *ledger.Ledger, category string) string {
	c := l.Category(category)
	if c == nil || c.Retention == nil {
		return ""
	}
	return c.Retention.LegalBasis.Ja
}

// RightsSuspend records a stop of purposes ("*" for all use, or
// StopProvision) to answer the request receipt (利用停止, APPI Art. 35(1),
// 第三者提供の停止, Art. 35(3)). The vault refuses suspended uses at once.
func (s *Service) RightsSuspend(ctx context.Context, a hogo.Actor, principal, receipt string, purposes []string) error {
	if err := rightsRole(a); err != nil {
		return err
	}
	l, _, err := s.current()
	if err != nil {
		return err
	}
	if len(purposes) == 0 {
		return hogo.NewError(hogo.EINVALID, "purposes", "停止する利用目的を選んでください。", "choose the purposes to stop")
	}
	for _, pu := range purposes {
		if pu != "*" && pu != StopProvision && l.Purpose(pu) == nil {
			return hogo.NewError(hogo.EINVALID, "purposes", "利用目的「%s」は台帳にありません。", "purpose %q is not in the ledger", pu)
		}
	}
	if !ValidID(principal) {
		return errNoPrincipal()
	}
	now := s.Now()
	entries := make([]*hogo.AuditEntry, len(purposes))
	for i, pu := range purposes {
		entries[i] = rightsEntry(a, "principal.suspend", principal, receipt)
		entries[i].Purpose = pu
	}
	return s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		for _, pu := range purposes {
			if err := tx.SetSuspension(ctx, principal, pu, true, now); err != nil {
				return err
			}
		}
		return nil
	}, entries...)
}
