package ledger_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hogo.example.jp/hogo/ledger"
)

// examplesDir holds the example ledgers, one per seed policy.
var examplesDir = filepath.Join("..", "examples", "ledgers")

var exampleFiles = []string{"staffing.yaml", "online-service.yaml", "bpo.yaml", "recruitment.yaml", "dental-staffing.yaml"}

func loadExample(t *testing.T, name string) *ledger.Ledger {
	t.Helper()
	l, ps, err := ledger.Load(filepath.Join(examplesDir, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(ps) != 0 {
		t.Fatalf("%s: want no problems, got:\n%s", name, ps)
	}
	return l
}

// TestExamplesLoad checks that every example ledger loads with no errors and
// no warnings, and that the directory holds no example without a test.
func TestExamplesLoad(t *testing.T) {
	for _, name := range exampleFiles {
		t.Run(name, func(t *testing.T) { loadExample(t, name) })
	}
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !slices.Contains(exampleFiles, filepath.Base(f)) {
			t.Errorf("%s is not in exampleFiles", f)
		}
	}
}

// TestDemoLedger pins what the demo (staffing.yaml) must keep: other
// packages and the automated checks of the demo rely on these IDs.
func TestDemoLedger(t *testing.T) {
	l := loadExample(t, "staffing.yaml")

	c := l.Category("job_seeker")
	if c == nil {
		t.Fatal("no category job_seeker")
	}
	type item struct {
		Type       ledger.ItemType
		Identifier bool
	}
	wantItems := map[string]item{
		"name":       {ledger.TypeText, true},
		"name_kana":  {ledger.TypeKana, true},
		"email":      {ledger.TypeEmail, true},
		"phone":      {ledger.TypePhone, true},
		"birth_date": {ledger.TypeDate, false},
		"address":    {ledger.TypeAddress, false},
	}
	for id, w := range wantItems {
		it := l.Item("job_seeker", id)
		if it == nil {
			t.Errorf("job_seeker has no item %q", id)
			continue
		}
		if got := (item{it.Type, it.Identifier}); got != w {
			t.Errorf("job_seeker.%s = %+v, want %+v", id, got, w)
		}
	}
	if !slices.Contains(ledger.IDs(c.Sources), "web_form") || l.Source("web_form") == nil {
		t.Error("job_seeker does not use source web_form")
	}
	for _, p := range []string{"job_matching", "marketing"} {
		if !slices.Contains(ledger.IDs(c.Purposes), p) || l.Purpose(p) == nil {
			t.Errorf("job_seeker does not use purpose %s", p)
		}
	}
	if !l.Purpose("marketing").ConsentRequired {
		t.Error("purpose marketing must have consent_required: true")
	}
	staffMatching := false
	for _, a := range c.Access {
		staffMatching = staffMatching || (a.Role == "staff" && slices.Contains(ledger.IDs(a.Purposes), "job_matching"))
	}
	if !staffMatching {
		t.Error("no access rule gives role staff the purpose job_matching on job_seeker")
	}
	r := l.Recipient("client_company")
	if r == nil || r.Basis != ledger.BasisConsent || !slices.Contains(ledger.IDs(c.Recipients), "client_company") {
		t.Error("recipient client_company (basis: consent) must be listed in job_seeker's recipients")
	}
	if c.Retention == nil || c.Retention.Period != (ledger.Period{N: 6, Unit: 'm'}) || c.Retention.After.ID != "application_closed" {
		t.Errorf("job_seeker retention = %+v, want 6m after application_closed", c.Retention)
	}

	// Individual numbers serve only tax and social security.
	var mn *ledger.Item
	for _, it := range l.Category("employee").Items {
		if it.MyNumber() {
			mn = it
		}
	}
	if mn == nil {
		t.Fatal("employee has no My Number item")
	}
	for _, p := range mn.Purposes {
		if b := l.Purpose(p.ID).MyNumber; b != ledger.MyNumberTax && b != ledger.MyNumberSocialSecurity {
			t.Errorf("My Number item serves purpose %s with basis %q", p.ID, b)
		}
	}

	d := l.ComplaintDesk
	if got := d.Hours.Open.String() + "-" + d.Hours.Close.String(); got != "09:00-17:00" {
		t.Errorf("desk hours = %s, want 09:00-17:00", got)
	}
	if diff := cmp.Diff([]string{"mon", "tue", "wed", "thu", "fri"}, d.Hours.Days); diff != "" {
		t.Errorf("desk days (-want +got):\n%s", diff)
	}
	if l.Calendar.YearEnd != "12-29..01-03" {
		t.Errorf("year_end = %q", l.Calendar.YearEnd)
	}
	a := l.AccreditedOrganization
	if a == nil || a.Desk.Ja != "個人情報保護苦情相談室" || !slices.Contains(a.Phone, "0120-700-779") {
		t.Errorf("accredited organisation = %+v, want JIPDEC's complaint office", a)
	}
	if len(l.Processors) == 0 || len(l.Requests.Fees) == 0 || len(l.Requests.RefusalGrounds) == 0 ||
		len(l.Requests.IDDocuments.Photo) == 0 || len(l.SecurityMeasures.Technical) == 0 {
		t.Error("the demo needs processors, fees, refusal grounds, ID documents and security measures")
	}
}

// TestExamplesKeepSeedPromises pins, per example, the promises of its seed
// that the structured fields hold, so that an edit cannot quietly drop one.
func TestExamplesKeepSeedPromises(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, l *ledger.Ledger)
	}{
		{"staffing.yaml", func(t *testing.T, l *ledger.Ledger) {
			if got := len(l.Requests.NonRetainedGrounds); got != 4 {
				t.Errorf("non_retained_grounds: %d, want the seed's 4", got)
			}
			if l.Category("entrusted_personal_data").Disclosable == nil || *l.Category("entrusted_personal_data").Disclosable {
				t.Error("entrusted data must be non-disclosable")
			}
			if l.Entrustment == nil || l.Entrustment.Received.Empty() {
				t.Error("the promise on entrusted data (受託) is missing")
			}
			wantExceptions := []string{"law", "life", "public_health", "state_affairs", "published_special"}
			if diff := cmp.Diff(wantExceptions, l.Provision.Exceptions); diff != "" {
				t.Errorf("provision exceptions (-want +got):\n%s", diff)
			}
		}},
		{"online-service.yaml", func(t *testing.T, l *ledger.Ledger) {
			if got := len(l.Purposes); got != 11 {
				t.Errorf("%d purposes, want the seed's 11", got)
			}
			for _, id := range []string{"device_id", "mobile_device_id", "ip_address", "cookie_id"} {
				if l.Item("user", id) == nil {
					t.Errorf("user has no item %s", id)
				}
			}
			if got := len(l.RetentionPolicy.Exceptions); got != 3 {
				t.Errorf("%d retention exceptions, want 3", got)
			}
			if diff := cmp.Diff([]string{"driver_licence"}, l.Requests.IDDocuments.Photo); diff != "" {
				t.Errorf("photo ID (-want +got):\n%s", diff)
			}
		}},
		{"bpo.yaml", func(t *testing.T, l *ledger.Ledger) {
			r := l.Requests
			for _, typ := range []string{ledger.ReqNotifyPurpose, ledger.ReqDisclose} {
				if f := r.Fees[typ]; f == nil || f.Amount != 1000 {
					t.Errorf("fee for %s = %+v, want 1000", typ, f)
				}
			}
			if !r.AnswerAfterPayment {
				t.Error("the answer must wait for the fee")
			}
			if diff := cmp.Diff([]string{"fax", "email"}, r.Channels); diff != "" {
				t.Errorf("channels (-want +got):\n%s", diff)
			}
			if len(r.AgentEvidence) != 4 || len(r.Verification) < 4 {
				t.Errorf("want evidence for 4 agent kinds and per-channel verification, got %d and %d", len(r.AgentEvidence), len(r.Verification))
			}
			if d := l.Category("service_customer").Disclosable; d == nil || *d {
				t.Error("service_customer must be non-disclosable")
			}
		}},
		{"recruitment.yaml", func(t *testing.T, l *ledger.Ledger) {
			if len(l.JointUses) != 1 || l.JointUses[0].Responsible == nil {
				t.Fatal("want one joint use with a responsible party")
			}
			if f := l.Recipient("overseas_partner").Foreign; f == nil || f.Basis != "consent" || f.Regime.Empty() || f.Measures.Empty() {
				t.Error("the foreign recipient needs consent with the regime and measures")
			}
			if l.Anonymized == nil || l.Pseudonymized == nil || l.PersonallyReferable == nil {
				t.Error("anonymized, pseudonymized and personally_referable are all promised")
			}
			if !slices.Contains(l.Requests.Types, ledger.ReqDiscloseRecords) {
				t.Error("provision records must be disclosable")
			}
			for _, r := range l.Recipients {
				if r.RecordMethod == "" {
					t.Errorf("recipient %s keeps no provision record", r.ID)
				}
			}
			if l.Policy.Amendment.Empty() {
				t.Error("policy changes are promised")
			}
		}},
		{"dental-staffing.yaml", func(t *testing.T, l *ledger.Ledger) {
			if got := len(l.Categories); got != 5 {
				t.Errorf("%d categories, want 5", got)
			}
			var recipients []string
			for _, e := range l.ExternalTransmissions {
				recipients = append(recipients, e.ID)
			}
			if diff := cmp.Diff([]string{"google", "yahoo", "criteo", "adjust", "facebook"}, recipients); diff != "" {
				t.Errorf("external transmissions (-want +got):\n%s", diff)
			}
			if l.Statistics == nil || len(l.Calendar.ClosingDays) == 0 {
				t.Error("statistics and closing days are promised")
			}
			if h := l.AccreditedOrganization.Hours; h == nil || h.Open.String() != "10:00" || h.Close.String() != "16:00" {
				t.Error("the accredited organisation's hours are 10:00-16:00")
			}
			indirect := 0
			for _, s := range l.Sources {
				if !s.Direct {
					indirect++
				}
			}
			if indirect < 2 {
				t.Errorf("%d indirect sources, want the seed's 2 (clinics, public websites)", indirect)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { tt.check(t, loadExample(t, tt.file)) })
	}
}

// TestExamplesBilingual checks that every text in the examples that has
// Japanese also has English: the examples show the {ja, en} form throughout.
func TestExamplesBilingual(t *testing.T) {
	textType := reflect.TypeOf(ledger.Text{})
	for _, name := range exampleFiles {
		t.Run(name, func(t *testing.T) {
			l := loadExample(t, name)
			var walk func(v reflect.Value, path string)
			walk = func(v reflect.Value, path string) {
				switch v.Kind() {
				case reflect.Pointer:
					if !v.IsNil() {
						walk(v.Elem(), path)
					}
				case reflect.Slice:
					for i := 0; i < v.Len(); i++ {
						walk(v.Index(i), path+"["+strconv.Itoa(i+1)+"]")
					}
				case reflect.Map:
					for _, k := range v.MapKeys() {
						walk(v.MapIndex(k), path+"."+k.String())
					}
				case reflect.Struct:
					if v.Type() == textType {
						tx := v.Interface().(ledger.Text)
						if !tx.Empty() && strings.TrimSpace(tx.En) == "" {
							t.Errorf("%s at %s has no English: %q", path, tx.Pos, tx.Ja)
						}
						return
					}
					for i := 0; i < v.NumField(); i++ {
						f := v.Type().Field(i)
						if f.IsExported() {
							walk(v.Field(i), path+"."+strings.Split(f.Tag.Get("yaml"), ",")[0])
						}
					}
				}
			}
			walk(reflect.ValueOf(l).Elem(), "")
		})
	}
}
