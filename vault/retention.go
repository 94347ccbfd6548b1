package vault

import (
	"context"
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
