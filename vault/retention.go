package vault

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
)

// RetentionErase erases one batch of what a retention sweep found due
// (APPI Art. 22): principals whose every record is due are erased whole
// (crypto-shredding, a tombstone), single records of others are deleted;
// every principal gets an audit entry naming the disposal, and also (the
// sweep's progress on its disposal record) commits in the same
// transaction, so that a sweep killed at any point has recorded exactly
// what it erased. The caller (package retention) decides what is due.
func (s *Service) RetentionErase(ctx context.Context, a hogo.Actor, disposal string, whole []string, some map[string][]string,
	also func(context.Context, hogo.Tx) error) error {
	if len(whole) > 0 {
		return s.eraseWith(ctx, a, whole, "保存期間の満了による消去（廃棄記録 "+disposal+"）", nil, also)
	}
	if len(some) == 0 {
		return nil
	}
	ids := make([]string, 0, len(some))
	for id := range some {
		ids = append(ids, id)
	}
	entries := make([]*hogo.AuditEntry, 0, len(ids))
	for _, id := range ids {
		e := a.Entry("record.dispose")
		e.Principal, e.Target = id, disposal
		e.Detail = map[string]string{"records": strconv.Itoa(len(some[id])), "ids": strings.Join(some[id], ",")}
		entries = append(entries, e)
	}
	return s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		for _, id := range ids {
			if _, err := tx.DeleteRecords(ctx, id, some[id]); err != nil {
				return err
			}
		}
		if also != nil {
			return also(ctx, tx)
		}
		return nil
	}, entries...)
}

// ErasedPrefix marks, among a record's events, an item erased under its
// own retention: "erased.mynumber" holds the day it went, so that sweeps
// do not look at it again.
const ErasedPrefix = "erased."

// RetentionEraseItems erases, under their own retention (e.g. individual
// numbers, 番号法 Art. 20), items from records that otherwise stay: each
// record is opened, the items removed, sealed again with its lookups
// recomputed, and marked (ErasedPrefix) with the day; one audit entry per
// principal names the disposal, the records and the items, never values.
// items maps a principal to its records and their items due. It returns
// how many items went by category.item; also commits with them.
func (s *Service) RetentionEraseItems(ctx context.Context, a hogo.Actor, disposal string, items map[string]map[string][]string,
	also func(counts map[string]int) func(context.Context, hogo.Tx) error) (map[string]int, error) {
	l, _, err := s.current()
	if err != nil {
		return nil, err
	}
	now := s.Now()
	day := now.In(hogo.Tokyo).Format("2006-01-02")
	counts := map[string]int{}
	var updates []*hogo.Record
	type mark struct{ principal, record, item string }
	var marks []mark
	var entries []*hogo.AuditEntry
	ids := make([]string, 0, len(items))
	for id := range items {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		p, err := s.store.GetPrincipal(ctx, id)
		if err != nil {
			if hogo.ErrorCode(err) == hogo.ENOTFOUND {
				continue // erased meanwhile
			}
			return nil, err
		}
		dk, err := s.keys.OpenDataKey(p.ID, p.WrappedKey)
		if err != nil {
			return nil, err
		}
		var recs, names []string
		for _, r := range p.Records {
			due := items[id][r.ID]
			if len(due) == 0 {
				continue
			}
			c := l.Category(r.Category)
			if c == nil {
				continue
			}
			vals, err := open(dk, r)
			if err != nil {
				return nil, err
			}
			gone := 0
			for _, it := range due {
				if _, ok := vals[it]; ok {
					delete(vals, it)
					gone++
					counts[r.Category+"."+it]++
				}
				marks = append(marks, mark{id, r.ID, ErasedPrefix + it})
				names = append(names, it)
			}
			recs = append(recs, r.ID)
			if gone == 0 {
				continue
			}
			nr := *r
			nr.Version, nr.UpdatedAt = r.Version+1, now
			if nr.Sealed, err = seal(dk, p.ID, r.ID, vals); err != nil {
				return nil, err
			}
			nr.Lookups = s.lookups(c, vals)
			updates = append(updates, &nr)
		}
		if len(recs) == 0 {
			continue
		}
		sort.Strings(names)
		e := a.Entry("record.item_dispose")
		e.Principal, e.Target = id, disposal
		e.Detail = map[string]string{"records": strings.Join(recs, ","), "items": strings.Join(slices.Compact(names), ",")}
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		return counts, nil
	}
	err = s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		for _, r := range updates {
			if err := tx.UpdateRecord(ctx, r); err != nil {
				return err
			}
		}
		for _, m := range marks {
			if err := tx.SetRecordEvent(ctx, m.principal, m.record, m.item, day); err != nil {
				return err
			}
		}
		if also != nil {
			return also(counts)(ctx, tx)
		}
		return nil
	}, entries...)
	return counts, err
}
