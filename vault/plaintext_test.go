package vault_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/width"

	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/vault"
)

// Fictional family and given names, in kanji and katakana.
var (
	familyNames = [][2]string{
		{"佐藤", "サトウ"}, {"鈴木", "スズキ"}, {"高橋", "タカハシ"}, {"田中", "タナカ"}, {"伊藤", "イトウ"},
		{"渡辺", "ワタナベ"}, {"山本", "ヤマモト"}, {"中村", "ナカムラ"}, {"小林", "コバヤシ"}, {"加藤", "カトウ"},
		{"吉田", "ヨシダ"}, {"山田", "ヤマダ"}, {"佐々木", "ササキ"}, {"山口", "ヤマグチ"}, {"松本", "マツモト"},
		{"井上", "イノウエ"}, {"木村", "キムラ"}, {"林", "ハヤシ"}, {"斎藤", "サイトウ"}, {"清水", "シミズ"},
	}
	givenNames = [][2]string{
		{"翔太", "ショウタ"}, {"美咲", "ミサキ"}, {"大輔", "ダイスケ"}, {"陽菜", "ハルナ"}, {"健一", "ケンイチ"},
		{"結衣", "ユイ"}, {"拓海", "タクミ"}, {"彩花", "アヤカ"}, {"直樹", "ナオキ"}, {"真由美", "マユミ"},
	}
)

// hiragana turns katakana into hiragana.
func hiragana(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0x30A1 && r <= 0x30F6 {
			return r - 0x60
		}
		return r
	}, s)
}

// seedPerson returns the items of the i-th fictional job seeker, typed in
// the many ways people type them.
func seedPerson(i int) map[string]string {
	fam, giv := familyNames[i%len(familyNames)], givenNames[i/len(familyNames)%len(givenNames)]
	kana := fam[1] + " " + giv[1]
	switch i % 3 {
	case 1:
		kana = hiragana(fam[1]) + "　" + hiragana(giv[1])
	case 2:
		kana = width.Narrow.String(kana)
	}
	phone := fmt.Sprintf("090-%04d-%04d", 7100+i, 3000+i*7)
	if i%4 == 0 {
		phone = width.Widen.String(phone)
	}
	items := map[string]string{
		"name":           fam[0] + " " + giv[0],
		"name_kana":      kana,
		"email":          fmt.Sprintf("Seeker.%03d.Hinode@Example.JP", i),
		"phone":          phone,
		"address":        fmt.Sprintf("京都府京都市左京区架空町%d番地 ひので荘%d号室", 100+i, 200+i),
		"career":         fmt.Sprintf("架空商事株式会社にて経理%d年", 1+i%20),
		"qualifications": fmt.Sprintf("日商簿記検定%d級（受験番号 KQ-%05d）", 1+i%3, 31000+i),
	}
	if i%2 == 0 {
		items["birth_date"] = fmt.Sprintf("昭和%d年%d月%d日", 40+i%20, 1+i%12, 1+i%28)
	}
	return items
}

// readDir returns the bytes of every file in dir.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// foundIn returns the names of the files that hold needle.
func foundIn(files map[string][]byte, needle string) []string {
	var out []string
	for name, b := range files {
		if bytes.Contains(b, []byte(needle)) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// TestNoPlaintextAtRest stores many job seekers through the service,
// corrects one, erases one and reads one under an exception, then searches
// the raw bytes of the SQLite database, its WAL and shared-memory files,
// while open and after close, and of a backup made while open, for every
// value in every form it was typed, stored or indexed in. None may be
// there. A value written in the clear to a settings row is searched for the
// same way and must be found, so that the search is known to work.
func TestNoPlaintextAtRest(t *testing.T) {
	const n = 200
	e := newEnv(t, "sqlite", openers()["sqlite"])
	ctx := e.ctx

	// Seed from several goroutines, so that writes share transactions.
	ids := make([]string, n)
	rids := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				in := vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "job_matching"}, Source: "web_form", Items: seedPerson(i)}
				id, rid, err := e.svc.Create(ctx, manager, in)
				if err != nil {
					errs <- fmt.Errorf("seed %d: %w", i, err)
					return
				}
				ids[i], rids[i] = id, rid
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	var values []string
	add := func(category, item, raw string) { values = append(values, e.forms(t, category, item, raw)...) }
	for i := 0; i < n; i++ {
		for item, raw := range seedPerson(i) {
			add("job_seeker", item, raw)
		}
	}

	// The values really are stored: they read back through the service.
	for _, i := range []int{0, 1, 2, 199} {
		v := e.get(t, manager, ids[i], vault.Use{Purpose: "job_matching"})
		want := seedPerson(i)
		for _, item := range []string{"name", "email", "address"} {
			c, _ := vault.CheckValue(e.ledger.Item("job_seeker", item), want[item])
			if v.Records[0].Items[item] != c {
				t.Fatalf("seed %d %s reads back as %q, want %q", i, item, v.Records[0].Items[item], c)
			}
		}
	}

	// A correction: both the old and the new values must stay sealed.
	str := func(s string) *string { return &s }
	newEmail, newAddress := "Corrected.Seeker.007@Mail.Example.JP", "滋賀県大津市架空浜町九丁目7番7号"
	if _, err := e.svc.UpdateRecord(ctx, manager, ids[7], rids[7], vault.RecordChange{Use: vault.Use{Purpose: "job_matching"},
		Items: map[string]*string{"email": str(newEmail), "address": str(newAddress)}}); err != nil {
		t.Fatal(err)
	}
	add("job_seeker", "email", newEmail)
	add("job_seeker", "address", newAddress)
	// A second record added to one principal.
	extra := seedPerson(11)
	extra["desired_conditions"] = "在宅勤務希望、週3日まで（架空条件-0011）"
	if _, err := e.svc.AddRecord(ctx, manager, ids[11], vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "job_matching"},
		Source: "interview", Items: extra}); err != nil {
		t.Fatal(err)
	}
	add("job_seeker", "desired_conditions", extra["desired_conditions"])
	// An erasure.
	if err := e.svc.Erase(ctx, manager, []string{ids[13]}, "保存期間の満了による消去"); err != nil {
		t.Fatal(err)
	}
	// Searches by identifier: the search terms are not kept either.
	for _, i := range []int{3, 13, 42} {
		p := seedPerson(i)
		if _, err := e.svc.Find(ctx, deskman, vault.LookupPhone, p["phone"], vault.Use{Purpose: "job_matching"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Find(ctx, deskman, vault.LookupNameKana, p["name_kana"], vault.Use{Purpose: "job_matching"}); err != nil {
			t.Fatal(err)
		}
	}
	// A read under a legal exception whose justification names the
	// person, and a reviewer's note that does too.
	fam, giv := familyNames[21%len(familyNames)], givenNames[21/len(familyNames)]
	justification := fmt.Sprintf("%s %s（%s）についての弁護士会照会への回答準備", fam[0], giv[0], fam[1]+giv[1])
	v, err := e.svc.Get(ctx, staffer, ids[21], vault.Use{Exception: ledger.ExceptionLaw, Justification: justification})
	if err != nil {
		t.Fatal(err)
	}
	note := fmt.Sprintf("%s%s様の件、照会書を確認", fam[0], giv[0])
	if err := e.svc.DecideReview(ctx, manager, v.ReviewID, true, note); err != nil {
		t.Fatal(err)
	}
	values = append(values, justification, note, "弁護士会照会への回答準備")

	// The control: a value written in the clear, through the same forms
	// and the same search.
	control := "ひので たいしょうぐみ"
	stored, err := vault.CheckValue(e.ledger.Item("job_seeker", "name_kana"), control)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.PutSetting(ctx, "test.plaintext_control", stored); err != nil {
		t.Fatal(err)
	}
	controls := e.forms(t, "job_seeker", "name_kana", control)

	open := readDir(t, e.dir)
	if _, ok := open[sqlite.FileName+"-wal"]; !ok {
		t.Fatalf("no WAL file while the store is open: %v", keys(open))
	}
	backup := filepath.Join(t.TempDir(), "hogo-backup.db")
	if err := sqlite.Backup(ctx, e.db, backup); err != nil {
		t.Fatal(err)
	}
	e.log.Close()
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	closed := readDir(t, e.dir)
	backupBytes, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	phases := []struct {
		name  string
		files map[string][]byte
	}{
		{"open store", open},
		{"closed store", closed},
		{"backup", map[string][]byte{filepath.Base(backup): backupBytes}},
	}
	for _, ph := range phases {
		if _, ok := ph.files[sqlite.FileName]; !ok && ph.name != "backup" {
			t.Fatalf("%s: no %s in %v", ph.name, sqlite.FileName, keys(ph.files))
		}
		if where := foundIn(ph.files, stored); len(where) == 0 {
			t.Fatalf("%s: the control value written in the clear is not found in %v: the search does not work", ph.name, keys(ph.files))
		}
		if where := foundIn(ph.files, controls[0]); len(where) != 0 {
			// The typed form of the control was never stored; finding it
			// would mean the search matches too much.
			t.Fatalf("%s: the control's typed form was found in %v", ph.name, where)
		}
	}
	if len(values) < n*8 {
		t.Fatalf("only %d forms to search for", len(values))
	}
	for _, ph := range phases {
		for _, v := range values {
			if v == "" {
				continue
			}
			if where := foundIn(ph.files, v); len(where) != 0 {
				t.Errorf("%s: %q found in the clear in %v", ph.name, v, where)
			}
		}
	}
	t.Logf("searched %d forms in %v (open), %v (closed) and a backup of %d bytes", len(values), sizes(open), sizes(closed), len(backupBytes))
}

func keys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sizes(m map[string][]byte) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		out[k] = len(v)
	}
	return out
}
