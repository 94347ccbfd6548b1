package provision_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/provision"
	"hogo.example.jp/hogo/vault"
)

func load(t *testing.T, name string) *ledger.Ledger {
	t.Helper()
	data, err := examples.Ledgers.ReadFile("ledgers/" + name)
	if err != nil {
		t.Fatal(err)
	}
	l, ps := ledger.ParseAndValidate(name, data)
	if l == nil {
		t.Fatalf("%s: %v", name, ps.Errors())
	}
	return l
}

// TestCheck: the rules that need no personal data, on two example
// ledgers (one with recipients abroad and a joint use).
func TestCheck(t *testing.T) {
	staffing, recruit := load(t, "staffing.yaml"), load(t, "recruitment.yaml")
	p := []string{"06h0m3s914un1hnja6s1b5ar9c"}
	for _, tc := range []struct {
		name    string
		l       *ledger.Ledger
		in      provision.Input
		code    string
		foreign string
	}{
		{"consent", staffing, provision.Input{Recipient: "client_company", Items: []string{"name"}, Basis: "consent"}, "", ""},
		{"individual number by consent", staffing, provision.Input{Recipient: "payroll", Items: []string{"mynumber"}, Basis: "consent"}, hogo.EINVALID, ""},
		{"individual number as a law requires", staffing, provision.Input{Recipient: "client_company", Items: []string{"mynumber"}, Basis: "exception", Exception: "law", Justification: "税務署の照会"}, "", ""},
		{"individual number to save a life", staffing, provision.Input{Recipient: "client_company", Items: []string{"mynumber"}, Basis: "exception", Exception: "life", Justification: "x"}, hogo.ENOLAWFULBASIS, ""},
		{"individual number entrusted to payroll", staffing, provision.Input{Recipient: "payroll", Items: []string{"mynumber"}, Basis: "entrustment"}, "", ""},
		{"special-care data by opt-out", staffing, provision.Input{Recipient: "client_company", Items: []string{"health_check"}, Basis: "opt_out"}, hogo.EINVALID, ""},
		{"abroad with an equivalent system", recruit, provision.Input{Recipient: "crm_cloud", Items: []string{"name"}, Basis: "entrustment"}, "", "equivalent_system"},
		{"abroad by consent", recruit, provision.Input{Recipient: "overseas_partner", Items: []string{"name"}, Basis: "consent"}, "", "consent"},
		{"abroad by opt-out", recruit, provision.Input{Recipient: "overseas_partner", Items: []string{"name"}, Basis: "opt_out"}, hogo.ENOLAWFULBASIS, ""},
		{"joint use", recruit, provision.Input{Recipient: "employer", Items: []string{"name"}, Basis: "joint_use"}, "", ""},
		{"joint use not declared", staffing, provision.Input{Recipient: "client_company", Items: []string{"name"}, Basis: "joint_use"}, hogo.ENOLAWFULBASIS, ""},
		{"succession without the deal", staffing, provision.Input{Recipient: "client_company", Items: []string{"name"}, Basis: "succession"}, hogo.EINVALID, ""},
		{"no items", staffing, provision.Input{Recipient: "client_company", Basis: "consent"}, hogo.EINVALID, ""},
		{"a principal twice", staffing, provision.Input{Recipient: "client_company", Items: []string{"name"}, Basis: "consent", Principals: []string{p[0], p[0]}}, hogo.EINVALID, ""},
	} {
		if tc.in.Principals == nil {
			tc.in.Principals = p
		}
		d, err := provision.Check(tc.l, tc.in)
		if code := hogo.ErrorCode(err); err != nil && code != tc.code || err == nil && tc.code != "" {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
			continue
		}
		if err == nil && d.Foreign != tc.foreign {
			t.Errorf("%s: foreign %q, want %q", tc.name, d.Foreign, tc.foreign)
		}
	}
}

// TestJudgeProperty: over random consent histories, a consented provision
// is allowed for a principal exactly when a consent to the recipient
// stands (not withdrawn, not expired, in the current wording) and the
// principal has not stopped provision or all use; no other basis ever
// needs consent, and a stop refuses every provision to a third party.
func TestJudgeProperty(t *testing.T) {
	l := load(t, "staffing.yaml")
	terms := vault.Terms(l)
	rnd := rand.New(rand.NewPCG(3, 5))
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, hogo.Tokyo)
	for i := 0; i < 5000; i++ {
		var cs []*hogo.Consent
		want := true
		stood := false
		for j := rnd.IntN(4); j > 0; j-- {
			c := &hogo.Consent{Recipients: []string{"client_company"}, Terms: map[string]string{"recipient:client_company": terms["recipient:client_company"]},
				GivenAt: now.Add(-time.Duration(rnd.IntN(1000)) * time.Hour)}
			if rnd.IntN(4) == 0 {
				c.Recipients = []string{"other"}
			}
			if rnd.IntN(3) == 0 {
				c.WithdrawnAt = now.Add(-time.Duration(1+rnd.IntN(100)) * time.Minute)
			}
			if rnd.IntN(3) == 0 {
				c.ExpiresAt = now.Add(time.Duration(rnd.IntN(200)-100) * time.Minute)
			}
			if rnd.IntN(5) == 0 {
				c.Terms["recipient:client_company"] = "reworded"
			}
			cs = append(cs, c)
			covers := c.Recipients[0] == "client_company" && c.WithdrawnAt.IsZero() && (c.ExpiresAt.IsZero() || now.Before(c.ExpiresAt)) &&
				c.Terms["recipient:client_company"] == terms["recipient:client_company"]
			stood = stood || covers
		}
		var susp []string
		switch rnd.IntN(6) {
		case 0:
			susp = []string{vault.StopProvision}
		case 1:
			susp = []string{"*"}
		case 2:
			susp = []string{"marketing"}
		}
		stopped := len(susp) > 0 && susp[0] != "marketing"
		want = stood && !stopped
		p := vault.Provided{Principal: "p", Held: true, Consents: cs, Suspended: susp}
		got := len(provision.Judge(l, provision.Input{Recipient: "client_company", Basis: hogo.ProvisionConsent}, []vault.Provided{p}, now)) == 0
		if got != want {
			t.Fatalf("case %d: allowed %v, want %v (consents %+v, stops %v)", i, got, want, cs, susp)
		}
		// An exception does not need consent, but a stop still refuses it.
		got = len(provision.Judge(l, provision.Input{Recipient: "client_company", Basis: hogo.ProvisionException}, []vault.Provided{p}, now)) == 0
		if got != !stopped {
			t.Fatalf("case %d: exception allowed %v with stops %v", i, got, susp)
		}
	}
}
