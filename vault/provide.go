package vault

import (
	"context"
	"slices"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// Provided is what a provision reads of one principal: the items of the
// category that go out, the name that identifies them in the record, and
// what decides whether they may go: consents and stops.
type Provided struct {
	Principal string
	// Name identifies the principal in the provision record (則20(1)).
	Name      string
	Items     map[string]string
	Consents  []*hogo.Consent
	Suspended []string
	// Held is false when the principal holds no record of the category.
	Held bool
}

// ForProvision reads principals for a provision of items of category. The
// caller (package provision) decides the basis and audits the provision,
// one entry per principal; nothing is decided or audited here.
func (s *Service) ForProvision(ctx context.Context, principals []string, category string, items []string) ([]Provided, error) {
	l, _, err := s.current()
	if err != nil {
		return nil, err
	}
	c := l.Category(category)
	if c == nil {
		return nil, hogo.NewError(hogo.EINVALID, "category", "種別「%s」は台帳にありません。", "category %q is not in the ledger", category)
	}
	nameItem := ""
	for _, it := range c.Items {
		if it.Identifier && it.Type == ledger.TypeText {
			nameItem = it.ID
			break
		}
	}
	out := make([]Provided, len(principals))
	for i, id := range principals {
		if !ValidID(id) {
			return nil, hogo.NewError(hogo.ENOTFOUND, "principals", "本人（%d番目）が見つかりません。", "principal number %d is not found", i+1)
		}
		p, err := s.store.GetPrincipal(ctx, id)
		if hogo.ErrorCode(err) == hogo.ENOTFOUND {
			return nil, hogo.NewError(hogo.ENOTFOUND, "principals", "本人（%d番目）が見つかりません（消去済みの可能性があります）。",
				"principal number %d is not found (it may have been erased)", i+1)
		}
		if err != nil {
			return nil, err
		}
		pr := Provided{Principal: id, Items: map[string]string{}, Consents: p.Consents, Suspended: p.Suspended}
		for _, r := range p.Records {
			if r.Category != category {
				continue
			}
			dk, err := s.keys.OpenDataKey(p.ID, p.WrappedKey)
			if err != nil {
				return nil, err
			}
			vals, err := open(dk, r)
			if err != nil {
				return nil, err
			}
			pr.Held = true
			if pr.Name == "" {
				pr.Name = vals[nameItem]
			}
			for _, k := range items {
				if v, ok := vals[k]; ok && pr.Items[k] == "" {
					pr.Items[k] = v
				}
			}
		}
		out[i] = pr
	}
	return out, nil
}

// Stopped reports whether a principal stopped provision or all use.
func (p *Provided) Stopped() bool {
	return ProvisionStopped(p.Suspended) || slices.Contains(p.Suspended, "*")
}

// CategoriesOf returns the categories a principal holds records of: which
// kinds of record, not what they say.
func (s *Service) CategoriesOf(ctx context.Context, principal string) ([]string, error) {
	if !ValidID(principal) {
		return nil, errNoPrincipal()
	}
	p, err := s.store.GetPrincipal(ctx, principal)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range p.Records {
		if !slices.Contains(out, r.Category) {
			out = append(out, r.Category)
		}
	}
	return out, nil
}
