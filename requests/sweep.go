package requests

import (
	"context"
	"strconv"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
)

// Sweep deletes the copies of identity documents and agents' evidence of
// requests closed the ledger's id_copy_days ago or earlier (default 30):
// they served the verification and are not kept longer than needed (APPI
// Art. 22). Each deletion is audited against its request. It returns how
// many files were deleted.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	l, _ := s.ledger()
	if l == nil {
		return 0, nil
	}
	days := l.Requests.IDCopyDays
	if days == 0 {
		days = ledger.DefaultIDCopyDays
	}
	cutoff := calendar.DateOf(s.Now()).AddDays(-days)
	total := 0
	for {
		files, err := s.store.ExpiredRequestFiles(ctx, []string{hogo.FileIDCopy, hogo.FileAgentEvidence}, cutoff.String(), 500)
		if err != nil || len(files) == 0 {
			return total, err
		}
		byRequest := map[string][]string{}
		var order []string
		for _, f := range files {
			if byRequest[f.RequestID] == nil {
				order = append(order, f.RequestID)
			}
			byRequest[f.RequestID] = append(byRequest[f.RequestID], f.ID)
		}
		for _, id := range order {
			r, err := s.store.GetRequest(ctx, id)
			if err != nil {
				return total, err
			}
			ids := byRequest[id]
			e := hogo.Actor{Name: "hogo"}.Entry("request.files_delete")
			e.Target = r.ReceiptNumber
			e.Detail = map[string]string{"files": strconv.Itoa(len(ids)), "closed_on": r.ClosedOn, "id_copy_days": strconv.Itoa(days)}
			deleted := 0
			// The count is what this node deleted: another node sweeping
			// at the same time may have taken some first.
			if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) (err error) {
				deleted, err = tx.DeleteRequestFiles(ctx, ids)
				e.Detail["files"] = strconv.Itoa(deleted)
				return err
			}, e); err != nil {
				return total, err
			}
			total += deleted
		}
	}
}
