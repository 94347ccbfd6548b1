package vault_test

import (
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/vault"
)

// TestExportLimit: an export over its limit stops before it audits rows it
// will not hand over; within it, every exported principal is audited.
func TestExportLimit(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		mgr := hogo.Actor{UserID: 1, Name: "hoshino", Role: hogo.RoleManager}
		for range 3 {
			e.create(t, mgr, exampleRecord(t))
		}
		exported := func() int {
			n := 0
			for _, en := range e.entries(t) {
				if en.Action == "principal.export" && en.Outcome == hogo.OutcomeOK {
					n++
				}
			}
			return n
		}
		rows := 0
		_, err := e.svc.Export(e.ctx, mgr, "job_seeker", vault.Use{Purpose: "job_matching"}, 2, func([]string) error { rows++; return nil })
		if hogo.ErrorCode(err) != hogo.EINVALID || rows != 0 || exported() != 0 {
			t.Fatalf("export over its limit: err %v, %d rows handed over, %d audited", err, rows, exported())
		}
		n, err := e.svc.Export(e.ctx, mgr, "job_seeker", vault.Use{Purpose: "job_matching"}, 3, func([]string) error { rows++; return nil })
		if err != nil || n != 3 || rows != 3 || exported() != 3 {
			t.Fatalf("export within its limit: err %v, n %d, %d rows, %d audited", err, n, rows, exported())
		}
	})
}
