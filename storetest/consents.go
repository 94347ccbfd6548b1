package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"hogo.example.jp/hogo"
)

// testConsents: consents stored with their terms, the standing ones on
// the principal's read, withdrawal once, and provision records found by
// principal with their sealed parts intact.
func testConsents(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	p := newPrincipal(60, newRecord("", 61, "job_seeker", nil))
	f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertPrincipals(ctx, []*hogo.Principal{p}) })
	c1 := &hogo.Consent{ID: vid('c', 1), PrincipalID: p.ID, Purposes: []string{"marketing", "survey"}, Recipients: []string{"client_company"},
		Terms: map[string]string{"purpose:marketing": "aa11", "purpose:survey": "bb22", "recipient:client_company": "cc33"}, NoticeVersion: "sha256:n",
		Method: hogo.ConsentVerbal, Witness: "窓口 受付子", GivenAt: vaultTime, RecordedBy: "desk1", ExpiresAt: vaultTime.Add(24 * time.Hour)}
	c2 := &hogo.Consent{ID: vid('c', 2), PrincipalID: p.ID, Purposes: []string{"marketing"}, Terms: map[string]string{"purpose:marketing": "aa11"},
		NoticeVersion: "sha256:n", Method: hogo.ConsentWebForm, GivenAt: vaultTime.Add(time.Minute), RecordedBy: "staff1"}
	for _, c := range []*hogo.Consent{c1, c2} {
		f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertConsent(ctx, c) })
	}
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error {
		return tx.InsertConsent(ctx, &hogo.Consent{ID: vid('c', 9), PrincipalID: vid('p', 404), Terms: map[string]string{}, GivenAt: vaultTime})
	}), hogo.ENOTFOUND)
	got, err := f.db.GetPrincipal(ctx, p.ID)
	if err != nil || len(got.Consents) != 2 {
		t.Fatalf("standing consents on the read: %v %+v", err, got)
	}
	g := got.Consents[0]
	if g.ID != c1.ID || g.Terms["recipient:client_company"] != "cc33" || !g.ExpiresAt.Equal(c1.ExpiresAt) || len(g.Purposes) != 2 || !g.GivenAt.Equal(vaultTime) {
		t.Fatalf("consent on the read: %+v", g)
	}
	f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error {
		return tx.WithdrawConsent(ctx, p.ID, c1.ID, vaultTime.Add(time.Hour), "desk1", "desk")
	})
	wantCode(t, f.write(p.ID, func(ctx context.Context, tx hogo.Tx) error {
		return tx.WithdrawConsent(ctx, p.ID, c1.ID, vaultTime.Add(time.Hour), "desk1", "desk")
	}), hogo.ECONFLICT)
	wantCode(t, f.write(p.ID, func(ctx context.Context, tx hogo.Tx) error {
		return tx.WithdrawConsent(ctx, vid('p', 404), c2.ID, vaultTime, "desk1", "desk")
	}), hogo.ENOTFOUND)
	if got, _ = f.db.GetPrincipal(ctx, p.ID); len(got.Consents) != 1 || got.Consents[0].ID != c2.ID {
		t.Fatalf("after withdrawal the read holds %+v", got.Consents)
	}
	all, err := f.db.ListConsents(ctx, p.ID)
	if err != nil || len(all) != 2 || all[0].WithdrawnVia != "desk" || all[0].Witness != "窓口 受付子" || !all[1].WithdrawnAt.IsZero() {
		t.Fatalf("history: %v %+v", err, all)
	}
	of, err := f.db.ConsentsOf(ctx, []string{p.ID, vid('p', 404)})
	if err != nil || len(of[p.ID]) != 1 || len(of) != 1 {
		t.Fatalf("ConsentsOf: %v %v", err, of)
	}
	n := 0
	if err := f.db.ScanLiveConsents(ctx, "", 10, func(c *hogo.Consent) error { n++; return nil }); err != nil || n != 1 {
		t.Fatalf("ScanLiveConsents: %v, %d", err, n)
	}

	pr := &hogo.Provision{ID: vid('v', 1), Recipient: "client_company", Basis: hogo.ProvisionConsent, Category: "job_seeker",
		Items: []string{"name", "email"}, Principals: []string{p.ID, vid('p', 61)}, Identities: []byte("sealed-ids"), RecordMethod: "bulk",
		ProvidedAt: vaultTime, Actor: "staff1", RetainUntil: "2029-04-01", ExportFormat: "csv", ExportSHA256: "ab", Export: []byte("sealed\x00export")}
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertProvision(ctx, pr) })
	list, err := f.db.ListProvisions(ctx, p.ID, 10)
	if err != nil || len(list) != 1 || list[0].ID != pr.ID || list[0].Export != nil || !bytes.Equal(list[0].Identities, pr.Identities) || list[0].Count != 2 {
		t.Fatalf("ListProvisions: %v %+v", err, list)
	}
	one, err := f.db.GetProvision(ctx, pr.ID)
	if err != nil || !bytes.Equal(one.Export, pr.Export) || len(one.Principals) != 2 || !one.ProvidedAt.Equal(vaultTime) || one.Items[1] != "email" {
		t.Fatalf("GetProvision: %v %+v", err, one)
	}
	if all, err := f.db.ListProvisions(ctx, "", 10); err != nil || len(all) != 1 || all[0].Count != 2 {
		t.Fatalf("ListProvisions of everyone: %v %+v", err, all)
	}
	if l, _ := f.db.ListProvisions(ctx, vid('p', 999), 10); len(l) != 0 {
		t.Fatalf("another principal's provisions: %+v", l)
	}
	f.verify(t)
}
