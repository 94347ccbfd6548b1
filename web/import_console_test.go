package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/web"
)

// TestImportUploadLimit: an upload over the console's limit is refused
// before it is read, and no upload is ever spooled to a temporary file.
func TestImportUploadLimit(t *testing.T) {
	h := newHarness(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where multipart would spool files
	b := h.browser()
	b.loginAs(hogo.RoleManager)
	token := b.csrf("/console/import")
	upload := func(size int) *response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("csrf", token)
		for k, v := range map[string]string{"category": "job_seeker", "source": "paper_form", "purpose": "job_matching"} {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", "seekers.csv")
		fw.Write([]byte("氏名,氏名（フリガナ）,メールアドレス,電話番号\r\n伊東 陸,イトウ リク,riku@example.jp,090-3333-1111\r\n"))
		row := []byte("伊東 陸,イトウ リク,riku@example.jp,090-3333-1111\r\n")
		fw.Write(bytes.Repeat(row, size/len(row)))
		mw.Close()
		return h.send(b.c, "POST", "/console/import/preview", &body, http.Header{"Content-Type": {mw.FormDataContentType()}})
	}
	if r := upload(web.MaxImportUpload + 2<<20); r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("upload over the limit: status %d", r.status)
	}
	// A large upload within the limit is parsed in memory.
	r := upload(12 << 20)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "preview-rows") {
		t.Fatalf("upload within the limit: status %d\n%s", r.status, r.body)
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "multipart-*"))
	if entries, _ := os.ReadDir(tmp); len(left) > 0 || len(entries) > 0 {
		t.Errorf("uploads were spooled to disk: %v", entries)
	}
}
