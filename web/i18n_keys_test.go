package web

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/complaint"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/provision"
	"hogo.example.jp/hogo/requests"
	"hogo.example.jp/hogo/retention"
	"hogo.example.jp/hogo/vault"
)

// TestMessageKeysExist: every key a template or handler translates has
// words in both languages; a missing one would show the raw key.
func TestMessageKeysExist(t *testing.T) {
	keyRe := regexp.MustCompile(`(?:\.T|\bT\(p\.Lang,|\bT\(lang,) *"([a-z_]+\.[a-z_.+]+)"`)
	seen := 0
	check := func(name, text string) {
		for _, m := range keyRe.FindAllStringSubmatch(text, -1) {
			seen++
			w, ok := messages[m[1]]
			if !ok {
				t.Errorf("%s: message key %q has no words", name, m[1])
				continue
			}
			if w[0] == "" || w[1] == "" {
				t.Errorf("%s: message key %q lacks Japanese or English", name, m[1])
			}
		}
	}
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(pages) == 0 {
		t.Fatalf("templates: %v", err)
	}
	for _, p := range pages {
		b, _ := fs.ReadFile(templateFS, p)
		check(p, string(b))
	}
	files, _ := fs.Glob(os.DirFS("."), "*.go")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		check(f, string(b))
		n++
	}
	dynamic := map[string][]string{
		"requests.block.":   {"not_verified", "fee_unpaid", "incomplete", "undecided"},
		"requests.doc.":     append(append([]string{}, ledger.IDDocumentKinds...), requests.AgentEvidenceKinds...),
		"requests.pay.":     append(append([]string{}, ledger.FeePaymentMethods...), requests.PaymentWaived),
		"requests.check.":   append(append([]string{}, requests.CheckMethods...), requests.CheckEmailCode),
		"requests.outcome.": requests.Outcomes,
		"requests.wait.":    append(append([]string{}, requests.WaitReasons...), requests.WaitDetails),
		"portal.wait.":      append(append([]string{}, requests.WaitReasons...), requests.WaitDetails),
		"requests.method.":  ledger.ResponseMethods,
		"requests.agent.":   ledger.AgentKinds,
		"requests.file.":    {hogo.FileIDCopy, hogo.FileAgentEvidence, hogo.FileAnswerLetter, hogo.FileAnswerArchive},
		"requests.status.": {hogo.RequestReceived, hogo.RequestIncomplete, hogo.RequestWaiting, hogo.RequestInProgress,
			hogo.RequestAnswered, hogo.RequestWithdrawn},
		"requests.view.":       requests.Views,
		"requests.flag.":       {"overdue", "due_soon"},
		"consents.method.":     hogo.ConsentMethods,
		"incidents.status.":    {hogo.IncidentDraft, hogo.IncidentOpen, hogo.IncidentReported, hogo.IncidentClosed},
		"incidents.medium.":    breach.Media,
		"incidents.notice.":    breach.NoticeMethods,
		"incidents.task.kind.": breach.TaskKinds,
		"incidents.event.":     breach.EventKinds,
		"complaints.category.": complaint.Categories,
		"complaints.channel.":  complaint.Channels,
		"complaints.step.":     complaint.Steps,
		"complaints.view.":     complaint.Views,
		"complaints.status.":   {"received", "acknowledged", "answered", "closed"},
		"incidents.field.":     {"summary", "items", "cause", "secondary_damage", "principal_response", "publication", "prevention", "medium", "scope"},
		"consents.status.":     {vault.ConsentLive, vault.ConsentWithdrawn, vault.ConsentExpired},
		"provisions.basis.":    hogo.ProvisionBases,
		"provisions.reason.":   {provision.ReasonNoConsent, provision.ReasonProvisionStopped, provision.ReasonSuspended, provision.ReasonNotHeld, provision.ReasonOptOutSensitive},

		// Retention: hold kinds, sweep states, the page's notices, the registers.
		"retention.kind.":          {hogo.HoldPrincipal, hogo.HoldCategory, hogo.HoldIncident},
		"retention.state.":         {hogo.JobAvailable, hogo.JobRunning, hogo.JobDone, hogo.JobFailed},
		"retention.done.":          {"hold", "lift", "schedule", "unschedule", "sweep"},
		"retention.register.":      {hogo.RegisterProvisions, hogo.RegisterReceipts, retention.RegisterAudit},
		"retention.register_rule.": {hogo.RegisterProvisions, hogo.RegisterReceipts, retention.RegisterAudit},

		// The complaint's receipt mail; the portal's complaint status page.
		"complaints.mail.":         {complaint.MailPending, complaint.MailSent, complaint.MailFailed, complaint.MailOff},
		"portal.complaint.status.": {"received", "acknowledged", "answered", "closed"},
		"portal.complaint.hint.":   {"received", "acknowledged", "answered", "closed"},

		// Anonymised information: the steps of 則34, the l-diversity
		// models, the record page's notice.
		"datasets.rule.":   {"1", "2", "3", "4", "5"},
		"datasets.lmodel.": {"distinct", "entropy"},
		"datasets.done.":   {"created", "provided", "pseudonymized"},
		// Pseudonymised information: the kinds of dataset, the steps of
		// 則31; statistics: the levels of each item type.
		"datasets.kind.":    {hogo.DatasetAnonymized, hogo.DatasetPseudonymized},
		"datasets.prule.":   {"1", "2", "3"},
		"statistics.level.": statLevelNames(),
	}
	for prefix, list := range dynamic {
		for _, k := range list {
			if w, ok := messages[prefix+k]; !ok || w[0] == "" || w[1] == "" {
				t.Errorf("message key %q has no words", prefix+k)
			}
		}
	}
	for _, rt := range ledger.RequestTypes {
		if _, ok := messages["requests.type."+rt]; !ok {
			t.Errorf("request type %q has no words", rt)
		}
	}
	for _, c := range ledger.Channels {
		if _, ok := messages["requests.channel."+c]; !ok {
			t.Errorf("channel %q has no words", c)
		}
	}
	if n == 0 || seen < 100 {
		t.Fatalf("checked %d Go files and %d keys: the pattern no longer finds the keys", n, seen)
	}
	// The dynamic keys of the vault screens.
	for _, k := range []string{"vault.by.email", "vault.by.phone", "vault.by.name_kana", "vault.by.birth_date+name",
		"reviews.pending", "reviews.approved", "reviews.rejected", "exception.law", "exception.life",
		"requests.missing.contact", "requests.missing.agent_kind", "requests.missing.principal_name",
		"requests.status.received", "requests.status.incomplete", "vault.event_recorded"} {
		if _, ok := messages[k]; !ok {
			t.Errorf("dynamic message key %q has no words", k)
		}
	}
}

// statLevelNames are the levels the statistics form offers, as message
// keys after "statistics.level.".
func statLevelNames() []string {
	out := []string{"0"}
	for _, ls := range statLevels {
		out = append(out, ls...)
	}
	return out
}
