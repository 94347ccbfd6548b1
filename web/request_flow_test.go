package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/letter/pdftext"
	"hogo.example.jp/hogo/mail/smtptest"
	"hogo.example.jp/hogo/requests"
)

// pngBytes is a tiny PNG: a scanned identity document stands in for one.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

type detailJSON struct {
	ID            string   `json:"id"`
	ReceiptNumber string   `json:"receipt_number"`
	Status        string   `json:"status"`
	DueOn         string   `json:"due_on"`
	Paused        bool     `json:"paused"`
	Verified      bool     `json:"verified"`
	FeeDue        int      `json:"fee_due"`
	FeePaid       int      `json:"fee_paid"`
	ClosedOn      string   `json:"closed_on"`
	Art39On       string   `json:"art39_on"`
	Blocking      []string `json:"blocking"`
	Files         []struct {
		ID, Kind string
	} `json:"files"`
	Timeline []struct {
		Action string `json:"action"`
	} `json:"timeline"`
}

func (h *harness) step(role hogo.Role, id, step, body string) detailJSON {
	h.t.Helper()
	r := h.as(role, "POST", "/api/v1/requests/"+id+"/"+step, body)
	if r.status != http.StatusOK {
		h.t.Fatalf("%s: %d\n%s", step, r.status, r.body)
	}
	var d detailJSON
	r.decode(h.t, &d)
	return d
}

var linkRE = regexp.MustCompile(`https?://\S+/requests/answer/\S+`)

// TestRequestFlowAPI walks a request from intake to the requester's
// download through the API: ID upload, verification, the fee holding the
// answer (the clock stopped), matching, decisions carried out in the
// vault, the letter and the signed archive, a one-time link mailed over
// real SMTP, and the portal download.
func TestRequestFlowAPI(t *testing.T) {
	relay := smtptest.Start(t)
	h := newHarness(t, withMail(relay))
	const desk = hogo.RoleDesk
	pid, rid := createPrincipal(h, taroBody)

	r := h.as(desk, "POST", "/api/v1/requests", `{"types":["notify_purpose","disclose","correct"],"channel":"post","response_method":"email",
		"requester":{"kind":"principal","name":"山田 太郎","email":"taro@example.jp","address":"大阪府大阪市北区梅田9-9-9"}}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var rc struct{ ID, ReceiptNumber, Secret, DueOn string }
	json.Unmarshal(r.body, &struct {
		ID            *string `json:"id"`
		ReceiptNumber *string `json:"receipt_number"`
		Secret        *string `json:"secret"`
		DueOn         *string `json:"due_on"`
	}{&rc.ID, &rc.ReceiptNumber, &rc.Secret, &rc.DueOn})
	id := rc.ID

	// An identity document, kept sealed; a text file is refused.
	if r := h.as(desk, "POST", "/api/v1/requests/"+id+"/files?kind=id_copy", "plain text, not a scan"); r.status != http.StatusBadRequest {
		t.Errorf("text upload: %d %s", r.status, r.body)
	}
	req, _ := http.NewRequest("POST", h.ts.URL+"/api/v1/requests/"+id+"/files?kind=id_copy", bytes.NewReader(pngBytes))
	req.Header.Set("Authorization", "Bearer "+h.tokens[desk])
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %v %v", err, resp.Status)
	}
	var f struct{ ID string }
	json.NewDecoder(resp.Body).Decode(&f)
	resp.Body.Close()
	if r := h.as(desk, "GET", "/api/v1/requests/"+id+"/files/"+f.ID, ""); r.status != http.StatusOK || !bytes.Equal(r.body, pngBytes) {
		t.Errorf("file read back: %d (%d bytes)", r.status, len(r.body))
	}
	var stored []byte
	h.db.Read.QueryRowContext(context.Background(), `SELECT data FROM request_files WHERE id = $1`, f.ID).Scan(&stored)
	if len(stored) == 0 || bytes.Contains(stored, []byte("IHDR")) {
		t.Error("the identity document is not sealed at rest")
	}

	// Two documents without a photo would be needed: one health
	// insurance certificate is not enough; a licence is.
	d := h.step(desk, id, "checks", `{"method":"document","documents":["health_insurance"],"passed":true}`)
	if d.Verified {
		t.Fatal("verified with one document without a photo")
	}
	d = h.step(desk, id, "checks", `{"method":"document","documents":["driver_licence"],"passed":true,"note":"原本を窓口で確認"}`)
	if !d.Verified {
		t.Fatal("not verified after a photo document")
	}
	// The fee (2 × 1,000 yen) holds the answer: the clock stops.
	if d.FeeDue != 2000 || d.Status != hogo.RequestWaiting || !d.Paused {
		t.Fatalf("after verification: %+v", d)
	}
	if r := h.as(desk, "POST", "/api/v1/requests/"+id+"/answer", ""); r.status != http.StatusConflict || !strings.Contains(string(r.body), "fee_unpaid") {
		t.Errorf("answer before payment: %d %s", r.status, r.body)
	}
	d = h.step(desk, id, "payments", `{"method":"bank_transfer","amount":2000}`)
	if d.FeePaid != 2000 || d.Status != hogo.RequestInProgress || d.Paused {
		t.Fatalf("after payment: %+v", d)
	}
	d = h.step(desk, id, "match", fmt.Sprintf(`{"principal":%q}`, pid))
	h.step(desk, id, "decisions", `{"type":"notify_purpose","outcome":"granted"}`)
	h.step(desk, id, "decisions", `{"type":"disclose","outcome":"granted"}`)
	d = h.step(desk, id, "decisions", fmt.Sprintf(`{"type":"correct","outcome":"granted","record":%q,"items":{"phone":"080-9999-0000"}}`, rid))
	if len(d.Blocking) != 0 {
		t.Fatalf("still blocking: %v", d.Blocking)
	}
	// The correction is in the vault at once, audited without values.
	pr := h.as(hogo.RoleManager, "GET", "/api/v1/principals/"+pid+"?purpose=job_matching", "")
	if !strings.Contains(string(pr.body), "08099990000") {
		t.Errorf("correction not applied: %s", pr.body)
	}
	entries, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Target: rc.ReceiptNumber, Limit: 200})
	holdsNone(t, "the request's audit entries", auditJSON(t, entries), []string{"08099990000", "090-1234-5678", "山田", "taro@example.jp"})

	d = h.step(desk, id, "answer", "")
	if d.Status != hogo.RequestAnswered || d.ClosedOn == "" {
		t.Fatalf("after answer: %+v", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := relay.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if m.To != "taro@example.jp" || !strings.Contains(m.Subject, rc.ReceiptNumber) || !strings.Contains(m.Text, "山田 太郎 様") {
		t.Errorf("mail: to %q subject %q\n%s", m.To, m.Subject, m.Text)
	}
	link := linkRE.FindString(m.Text)
	if link == "" {
		t.Fatalf("no link in the mail:\n%s", m.Text)
	}
	// Opening the link (as a mail scanner would) does not use it up.
	for range 2 {
		if r := h.send(http.DefaultClient, "GET", strings.TrimPrefix(link, h.ts.URL), nil, nil); r.status != http.StatusOK {
			t.Fatalf("link page: %d", r.status)
		}
	}
	r = h.send(http.DefaultClient, "POST", strings.TrimPrefix(link, h.ts.URL), nil, nil)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/zip" {
		t.Fatalf("download: %d %s", r.status, r.header.Get("Content-Type"))
	}
	checkArchive(t, h, r.body, rc.ReceiptNumber)
	if r := h.send(http.DefaultClient, "POST", strings.TrimPrefix(link, h.ts.URL), nil, nil); r.status != http.StatusNotFound {
		t.Errorf("second use of the link: %d", r.status)
	}

	// The requester can still fetch the letter on the portal.
	form := url.Values{"receipt_number": {rc.ReceiptNumber}, "secret": {rc.Secret}, "kind": {"answer_letter"}}
	hdr := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	r = h.send(http.DefaultClient, "POST", "/requests/status/download", strings.NewReader(form.Encode()), hdr)
	if r.status != http.StatusOK || !bytes.HasPrefix(r.body, []byte("%PDF")) {
		t.Fatalf("portal download: %d", r.status)
	}
	text, err := pdftext.Text(r.body)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"開示等の請求に対する回答書", "山田 太郎 様", rc.ReceiptNumber, "令和", "利用目的の通知", "08099990000", "2,000円"} {
		if !strings.Contains(text, want) {
			t.Errorf("letter lacks %q", want)
		}
	}
	form.Set("secret", "wrong")
	if r := h.send(http.DefaultClient, "POST", "/requests/status/download", strings.NewReader(form.Encode()), hdr); r.status != http.StatusNotFound {
		t.Errorf("download with a wrong secret: %d", r.status)
	}
	holdsNone(t, "the server log", h.logs.String(), []string{"山田", "taro@example.jp", "08099990000", link[strings.LastIndex(link, "/")+1:]})
}

// checkArchive opens an electronic disclosure: the data, the letter, and a
// manifest whose signature verifies with the company's key.
func checkArchive(t *testing.T, h *harness, data []byte, receipt string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = b
	}
	for _, n := range []string{"disclosure.json", "records.csv", "kaitousho.pdf", "manifest.json", "manifest.sig", "signing-key.pem", "README.txt"} {
		if files[n] == nil {
			t.Errorf("archive lacks %s", n)
		}
	}
	var doc requests.Disclosure
	if err := json.Unmarshal(files["disclosure.json"], &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ReceiptNumber != receipt || len(doc.Records) != 1 || doc.Records[0].Items["phone"] != "08099990000" || len(doc.Purposes) == 0 {
		t.Errorf("disclosure.json: %s", files["disclosure.json"])
	}
	if len(doc.UseLog) == 0 {
		t.Error("the use log is empty although the ledger discloses it")
	}
	if !bytes.HasPrefix(files["records.csv"], []byte("\ufeff記録ID")) || !bytes.Contains(files["records.csv"], []byte("山田 太郎")) {
		t.Errorf("records.csv: %s", files["records.csv"])
	}
	sig, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(string(files["manifest.sig"])))
	pub := h.log.Key().Public()
	if !ed25519.Verify(pub, files["manifest.json"], sig) {
		t.Error("the manifest's signature does not verify")
	}
	if !bytes.Contains(files["manifest.json"], []byte("kaitousho.pdf")) {
		t.Error("the manifest does not list the letter")
	}
}

// TestRequestCodeGoesToRegisteredAddress: once the request is matched to a
// principal, the one-time code goes to the address the company holds, not
// to the one the requester wrote on the form.
func TestRequestCodeGoesToRegisteredAddress(t *testing.T) {
	relay := smtptest.Start(t)
	h := newHarness(t, withMail(relay))
	pid, _ := createPrincipal(h, taroBody)
	r := h.as(hogo.RoleDesk, "POST", "/api/v1/requests", `{"types":["disclose"],"channel":"phone",
		"requester":{"kind":"principal","name":"山田 太郎","email":"someone-else@example.jp"}}`)
	var rc struct{ ID string }
	r.decode(t, &rc)
	h.step(hogo.RoleDesk, rc.ID, "match", fmt.Sprintf(`{"principal":%q}`, pid))
	h.step(hogo.RoleDesk, rc.ID, "code", "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := relay.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs[0].To) != 1 || msgs[0].To[0] != "taro@example.jp" {
		t.Errorf("the code went to %v, want the registered address", msgs[0].To)
	}
}
