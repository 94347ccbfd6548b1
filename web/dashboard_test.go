package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
)

// TestDashboard: the manager's home page shows the requests (counts, the
// ones overdue or due soon, a chart of the months), the open incidents
// with their clocks, the processors due for review and the queues to
// review; staff see the plain home page.
func TestDashboard(t *testing.T) {
	h := newHarness(t)
	h.as(hogo.RoleDesk, "POST", "/api/v1/requests", `{"types":["disclose"],"channel":"post","requester":{"kind":"principal","name":"山田 太郎","email":"taro@example.jp"}}`)
	h.as(hogo.RoleStaff, "POST", "/api/v1/incidents", `{"title":"USBメモリの紛失","scope":{"estimate":2000}}`)
	if r := h.as(hogo.RoleDesk, "POST", "/api/v1/complaints", `{"channel":"phone","category":"handling","anonymous":true,"statement":"電話の対応について"}`); r.status != http.StatusCreated {
		t.Fatalf("complaint: %d %s", r.status, r.body)
	}
	b := h.browser()
	b.loginAs(hogo.RoleManager)
	r := b.get("/console/")
	body := string(r.body)
	if r.status != http.StatusOK {
		t.Fatalf("home: %d\n%s", r.status, body)
	}
	for _, want := range []string{`id="dashboard"`, `id="dash-open">未完了 1`, "USBメモリの紛失", `id="dash-chart"`, `id="dash-processors"`, `id="dash-reviews-count">0`, `id="dash-complaints-total">受付 1`} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}
	// One bar per month, the current one holding the request.
	if n := len(regexp.MustCompile(`<rect `).FindAllString(body, -1)); n != 12 {
		t.Errorf("%d bars, want 12", n)
	}
	if !regexp.MustCompile(`<title>\d\d月 1</title>`).MatchString(body) {
		t.Error("no bar holds this month's request")
	}
	s := h.browser()
	s.loginAs(hogo.RoleStaff)
	if r := s.get("/console/"); strings.Contains(string(r.body), `id="dashboard"`) {
		t.Error("staff see the dashboard")
	}
}
