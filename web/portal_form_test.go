package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestPortalBadForm: a body that is not a form is a 400 saying so; a body
// over the limit stays a 413.
func TestPortalBadForm(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		body string
		want int
	}{
		{"name=%zz&email=a", http.StatusBadRequest},
		{"name=" + strings.Repeat("a", 70<<10), http.StatusRequestEntityTooLarge},
	} {
		req, _ := http.NewRequest("POST", h.ts.URL+"/complaints/new", strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("body of %d bytes: %d, want %d", len(c.body), resp.StatusCode, c.want)
		}
	}
}
