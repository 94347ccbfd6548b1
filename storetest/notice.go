package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
)

// noticeText is a version's text for the tests, with its digest.
func noticeText(n int) *hogo.NoticeVersion {
	ja := fmt.Sprintf("# 個人情報保護方針\n\n架空商事株式会社\n\n## 1. 利用目的\n\n- 目的その%d\n", n)
	sum := sha256.Sum256([]byte(ja))
	return &hogo.NoticeVersion{Digest: hex.EncodeToString(sum[:]), Effective: fmt.Sprintf("2026-%02d-01", n%12+1), Revision: "2026." + strconv.Itoa(n),
		MarkdownJa: ja, MarkdownEn: fmt.Sprintf("# Privacy policy\n\n## 1. Purposes\n\n- Purpose %d\n", n)}
}

// testNotice: the notice's versions. A new text is a new version, numbered
// from 1; the same text again is not, whatever ledger shows it; each
// ledger digest keeps the version it first showed; nodes recording at
// once make each text one version, with no number taken twice, and, in an
// audited write, one audit entry; a write rolled back leaves no version.
func testNotice(t *testing.T, h Harness) {
	ctx := context.Background()
	db, reopen := h.Open(t)

	if vs, err := db.ListNoticeVersions(ctx); err != nil || len(vs) != 0 {
		t.Fatalf("ListNoticeVersions on an empty store = %v, %v", vs, err)
	}
	_, err := db.NoticeVersionOfLedger(ctx, "ledger-a")
	wantCode(t, err, hogo.ENOTFOUND)
	_, err = db.GetNoticeVersion(ctx, 1)
	wantCode(t, err, hogo.ENOTFOUND)
	_, err = db.RecordNoticeVersion(ctx, &hogo.NoticeVersion{MarkdownJa: "x"}, "ledger-a")
	wantCode(t, err, hogo.EINVALID)

	v1 := noticeText(1)
	if created, err := db.RecordNoticeVersion(ctx, v1, "ledger-a"); err != nil || !created || v1.Version != 1 || v1.CreatedAt.IsZero() {
		t.Fatalf("first version: created %v, %v, %+v", created, err, v1)
	}
	// The same text again, from the same ledger or from another whose
	// change does not reach the notice: no new version, the ledger mapped.
	again := noticeText(1)
	if created, err := db.RecordNoticeVersion(ctx, again, "ledger-a"); err != nil || created || again.Version != 1 || !again.CreatedAt.Equal(v1.CreatedAt) {
		t.Fatalf("same text again: created %v, %v, %+v", created, err, again)
	}
	if created, err := db.RecordNoticeVersion(ctx, noticeText(1), "ledger-b"); err != nil || created {
		t.Fatalf("same text, other ledger: created %v, %v", created, err)
	}
	v2 := noticeText(2)
	if created, err := db.RecordNoticeVersion(ctx, v2, "ledger-c"); err != nil || !created || v2.Version != 2 {
		t.Fatalf("second text: created %v, %v, version %d", created, err, v2.Version)
	}
	// A ledger keeps the version it first showed.
	if created, err := db.RecordNoticeVersion(ctx, noticeText(2), "ledger-a"); err != nil || created {
		t.Fatalf("second text, first ledger: created %v, %v", created, err)
	}
	for ld, want := range map[string]int64{"ledger-a": 1, "ledger-b": 1, "ledger-c": 2} {
		got, err := db.NoticeVersionOfLedger(ctx, ld)
		if err != nil || got.Version != want || got.MarkdownJa != noticeText(int(want)).MarkdownJa {
			t.Fatalf("NoticeVersionOfLedger(%s) = %+v, %v; want version %d", ld, got, err, want)
		}
	}
	got, err := db.GetNoticeVersion(ctx, 2)
	if err != nil || got.Digest != v2.Digest || got.Effective != v2.Effective || got.Revision != v2.Revision ||
		got.MarkdownJa != v2.MarkdownJa || got.MarkdownEn != v2.MarkdownEn || !got.CreatedAt.Equal(v2.CreatedAt) {
		t.Fatalf("GetNoticeVersion(2) = %+v, %v\nwant %+v", got, err, v2)
	}
	_, err = db.GetNoticeVersion(ctx, 3)
	wantCode(t, err, hogo.ENOTFOUND)
	vs, err := db.ListNoticeVersions(ctx)
	if err != nil || len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 || vs[0].Revision != v2.Revision ||
		vs[1].Effective != v1.Effective || vs[0].MarkdownJa != "" {
		t.Fatalf("ListNoticeVersions = %v, %v", vs, err)
	}

	key, err := audit.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	// record is what a node does when it loads a ledger (notice.Record):
	// the version and its audit entry in one transaction, the entry
	// dropped when the text was there.
	errSeen := errors.New("seen")
	record := func(log *audit.Log, v *hogo.NoticeVersion, ld string) (bool, error) {
		e := hogo.SystemActor.Entry("notice.version")
		err := log.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
			w, ok := tx.(hogo.NoticeWriter)
			if !ok {
				return fmt.Errorf("the store's Tx (%T) is no hogo.NoticeWriter", tx)
			}
			created, err := w.RecordNoticeVersion(ctx, v, ld)
			if err != nil {
				return err
			}
			if !created {
				return errSeen
			}
			e.Target = strconv.FormatInt(v.Version, 10)
			return nil
		}, e)
		if errors.Is(err, errSeen) {
			_, err = db.RecordNoticeVersion(ctx, v, ld)
			return false, err
		}
		return err == nil, err
	}

	t.Run("AuditedWrite", func(t *testing.T) {
		log := newLog(t, db, key)
		v3 := noticeText(3)
		if created, err := record(log, v3, "ledger-d"); err != nil || !created || v3.Version != 3 {
			t.Fatalf("audited: created %v, %v, version %d", created, err, v3.Version)
		}
		if created, err := record(log, noticeText(3), "ledger-e"); err != nil || created {
			t.Fatalf("audited, again: created %v, %v", created, err)
		}
		if got, err := db.NoticeVersionOfLedger(ctx, "ledger-e"); err != nil || got.Version != 3 {
			t.Fatalf("ledger mapped after a write rolled back: %+v, %v", got, err)
		}
		es, err := db.ListAudit(ctx, hogo.AuditFilter{Action: "notice.version", Limit: 10})
		if err != nil || len(es) != 1 || es[0].Target != "3" {
			t.Fatalf("notice.version entries: %v, %v", es, err)
		}
		// A write that fails after recording leaves nothing.
		boom := errors.New("boom")
		err = log.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
			if _, err := tx.(hogo.NoticeWriter).RecordNoticeVersion(ctx, noticeText(99), "ledger-z"); err != nil {
				return err
			}
			return boom
		}, hogo.SystemActor.Entry("notice.version"))
		if !errors.Is(err, boom) {
			t.Fatalf("failed write: %v", err)
		}
		_, err = db.NoticeVersionOfLedger(ctx, "ledger-z")
		wantCode(t, err, hogo.ENOTFOUND)
		if vs, _ := db.ListNoticeVersions(ctx); len(vs) != 3 {
			t.Fatalf("%d versions after a failed write, want 3", len(vs))
		}
	})

	t.Run("NodesAtOnce", func(t *testing.T) {
		// Three nodes, each with its audit log, four starts each, all
		// recording texts 10…15 (in different orders), plain and audited.
		const texts = 6
		stores := []*struct {
			db  hogo.NoticeService
			log *audit.Log
		}{{db, newLog(t, db, key)}}
		for range 2 {
			other := reopen(t)
			stores = append(stores, &struct {
				db  hogo.NoticeService
				log *audit.Log
			}{other, newLog(t, other, key)})
		}
		var mu sync.Mutex
		created := map[string]int{}
		var wg sync.WaitGroup
		for i, st := range stores {
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := range texts {
						n := 10 + (j+i+g)%texts
						v := noticeText(n)
						ld := fmt.Sprintf("ledger-%d-%d-%d", i, g, n)
						var c bool
						var err error
						if g%2 == 0 {
							c, err = record(st.log, v, ld)
						} else {
							c, err = st.db.RecordNoticeVersion(ctx, v, ld)
						}
						if err != nil {
							t.Errorf("node %d start %d text %d: %v", i, g, n, err)
							return
						}
						mu.Lock()
						if c {
							created[v.Digest]++
						}
						mu.Unlock()
					}
				}()
			}
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		if len(created) != texts {
			t.Fatalf("%d texts created, want %d", len(created), texts)
		}
		for d, c := range created {
			if c != 1 {
				t.Errorf("text %s created %d times", d[:8], c)
			}
		}
		vs, err := db.ListNoticeVersions(ctx)
		if err != nil || len(vs) != 3+texts {
			t.Fatalf("%d versions (%v), want %d", len(vs), err, 3+texts)
		}
		seen := map[string]bool{}
		for i, v := range vs {
			if v.Version != int64(len(vs)-i) || seen[v.Digest] {
				t.Fatalf("versions are not 1…%d, one per text: %v", len(vs), vs)
			}
			seen[v.Digest] = true
		}
		// Every start's ledger shows its text's version.
		for i := range stores {
			for g := range 4 {
				for n := 10; n < 10+texts; n++ {
					got, err := db.NoticeVersionOfLedger(ctx, fmt.Sprintf("ledger-%d-%d-%d", i, g, n))
					if err != nil || got.Digest != noticeText(n).Digest {
						t.Fatalf("ledger %d-%d-%d: %+v, %v", i, g, n, got, err)
					}
				}
			}
		}
		// One audit entry per text created in an audited write: never two
		// for one version.
		es, err := db.ListAudit(ctx, hogo.AuditFilter{Action: "notice.version", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		targets := map[string]bool{}
		for _, e := range es {
			if targets[e.Target] {
				t.Errorf("version %s audited twice", e.Target)
			}
			targets[e.Target] = true
		}
	})
}
