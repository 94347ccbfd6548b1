package vault_test

import (
	"errors"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/vault"
)

// TestNotesSurviveKeyRetirement: justifications, review notes and erasure
// reasons stay readable after the KEK is rotated, every key re-wrapped and
// the old KEK retired (the notes key is re-wrapped with the principals').
func TestNotesSurviveKeyRetirement(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		mgr := hogo.Actor{UserID: 1, Name: "hoshino", Role: hogo.RoleManager}
		stf := hogo.Actor{UserID: 2, Name: "kudo", Role: hogo.RoleStaff}
		id, _ := e.create(t, mgr, exampleRecord(t))
		const why = "警察署からの照会（刑事訴訟法第197条第2項）への回答のため"
		v, err := e.svc.Get(e.ctx, stf, id, vault.Use{Exception: "law", Justification: why})
		if err != nil || v.ReviewID == 0 {
			t.Fatalf("exception read: %v %+v", err, v)
		}
		if err := e.svc.DecideReview(e.ctx, mgr, v.ReviewID, true, "照会文書を確認済み"); err != nil {
			t.Fatal(err)
		}
		other, _ := e.create(t, mgr, exampleRecord(t))
		if err := e.svc.Erase(e.ctx, mgr, []string{other}, "本人からの消去請求（受付番号 42）"); err != nil {
			t.Fatal(err)
		}

		if err := e.keys.Rotate(); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Rewrap(e.ctx, mgr, nil); err != nil {
			t.Fatal(err)
		}
		if n, err := e.svc.OnOldKEK(e.ctx); err != nil || n != 0 {
			t.Fatalf("after re-wrapping, %d keys on the old KEK (%v)", n, err)
		}
		if _, err := e.keys.Retire(); err != nil {
			t.Fatal(err)
		}
		// A fresh service over the same store and keys: nothing cached.
		fresh := vault.NewService(e.db, e.log, e.keys, e.svc.LedgerFunc())
		rs, err := fresh.Reviews(e.ctx, "", 10)
		if err != nil || len(rs) != 1 || rs[0].JustificationText != why || rs[0].NoteText != "照会文書を確認済み" {
			t.Fatalf("review after retirement: %v %+v", err, rs)
		}
		_, err = e.db.GetPrincipal(e.ctx, other)
		var gone *hogo.Erasure
		if !errors.As(err, &gone) {
			t.Fatalf("erased principal: %v", err)
		}
		if r, err := fresh.ErasureReason(e.ctx, gone); err != nil || r != "本人からの消去請求（受付番号 42）" {
			t.Fatalf("erasure reason after retirement: %q %v", r, err)
		}
		// The principal still reads.
		if _, err := fresh.Get(e.ctx, mgr, id, vault.Use{Purpose: "job_matching"}); err != nil {
			t.Fatal(err)
		}
	})
}
