package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/japanese"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/postgres"
	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/sqlstore"
	"hogo.example.jp/hogo/vault"
)

// The synthetic organisation of "hogo bench" and of the whole-system
// benchmarks: the demo organisation (a staffing company) with N job
// seekers imported from a Shift_JIS CSV through "hogo import". Everything
// here is made up and deterministic: row i is always the same person.

var (
	benchFamily = [][2]string{
		{"佐藤", "サトウ"}, {"鈴木", "スズキ"}, {"高橋", "タカハシ"}, {"田中", "タナカ"}, {"伊藤", "イトウ"},
		{"渡辺", "ワタナベ"}, {"山本", "ヤマモト"}, {"中村", "ナカムラ"}, {"小林", "コバヤシ"}, {"加藤", "カトウ"},
		{"吉田", "ヨシダ"}, {"山田", "ヤマダ"}, {"佐々木", "ササキ"}, {"山口", "ヤマグチ"}, {"松本", "マツモト"},
		{"井上", "イノウエ"}, {"木村", "キムラ"}, {"林", "ハヤシ"}, {"斎藤", "サイトウ"}, {"清水", "シミズ"},
	}
	benchGiven = [][2]string{
		{"太郎", "タロウ"}, {"花子", "ハナコ"}, {"一郎", "イチロウ"}, {"美咲", "ミサキ"}, {"健太", "ケンタ"},
		{"陽菜", "ヒナ"}, {"翔太", "ショウタ"}, {"結衣", "ユイ"}, {"大輔", "ダイスケ"}, {"さくら", "サクラ"},
		{"拓也", "タクヤ"}, {"愛", "アイ"}, {"蓮", "レン"}, {"葵", "アオイ"}, {"直樹", "ナオキ"}, {"由美", "ユミ"},
	}
	// benchPlaces are a postal code's first three digits and the address
	// it belongs to.
	benchPlaces = [][2]string{
		{"100", "東京都千代田区千代田"}, {"160", "東京都新宿区西新宿"}, {"150", "東京都渋谷区道玄坂"},
		{"220", "神奈川県横浜市西区みなとみらい"}, {"330", "埼玉県さいたま市大宮区桜木町"}, {"260", "千葉県千葉市中央区富士見"},
		{"530", "大阪府大阪市北区梅田"}, {"450", "愛知県名古屋市中村区名駅"}, {"810", "福岡県福岡市中央区天神"},
		{"060", "北海道札幌市中央区北一条西"}, {"980", "宮城県仙台市青葉区中央"}, {"730", "広島県広島市中区紙屋町"},
		{"600", "京都府京都市下京区烏丸通"}, {"650", "兵庫県神戸市中央区三宮町"},
	}
	benchQualifications = []string{"普通自動車第一種運転免許", "日商簿記検定2級", "TOEIC 800点", "基本情報技術者",
		"介護福祉士", "フォークリフト運転技能講習修了", "第二種電気工事士", "秘書検定2級"}
	benchMobile = []string{"090", "080", "070"}
)

// benchBirth is the earliest birth date of the job seekers.
var benchBirth = time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)

// seekerHeader is the CSV header of writeSJIS, the demo ledger's job_seeker
// items by their Japanese names.
const seekerHeader = "氏名,氏名（フリガナ）,メールアドレス,電話番号,生年月日,郵便番号,住所,保有資格"

// seekerItems are the item IDs of seeker's fields, in order.
var seekerItems = [8]string{"name", "name_kana", "email", "phone", "birth_date", "postal_code", "address", "qualifications"}

// seeker is job seeker i: name, kana, e-mail (user{i}@example.jp, unique),
// mobile number (unique below 100,000,000), birth date, postal code,
// address and a qualification.
func seeker(i int) [8]string {
	f := benchFamily[i%len(benchFamily)]
	g := benchGiven[(i/len(benchFamily))%len(benchGiven)]
	p := benchPlaces[(i/7)%len(benchPlaces)]
	// Birth dates over forty years and postal codes and addresses within
	// each place, spread as a population's are rather than in short
	// cycles, so that anonymising them takes real generalisation.
	h := uint64(uint32(i) * 2654435761)
	return [8]string{
		f[0] + " " + g[0],
		f[1] + " " + g[1],
		fmt.Sprintf("user%d@example.jp", i),
		fmt.Sprintf("%s-%04d-%04d", benchMobile[i%len(benchMobile)], (i/10000)%10000, i%10000),
		benchBirth.AddDate(0, 0, int(h%14610)).Format("2006-01-02"),
		fmt.Sprintf("%s-%04d", p[0], (h>>8)%10000),
		fmt.Sprintf("%s%d-%d-%d", p[1], 1+(h>>12)%5, 1+(h>>16)%20, 1+(h>>20)%15),
		benchQualifications[(i/3)%len(benchQualifications)],
	}
}

// writeSJISFrom writes job seekers from to from+n-1, 8 items each, as
// Shift_JIS CSV.
func writeSJISFrom(path string, from, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(japanese.ShiftJIS.NewEncoder().Writer(f), 1<<20)
	fmt.Fprint(w, seekerHeader+"\r\n")
	for i := from; i < from+n; i++ {
		s := seeker(i)
		fmt.Fprint(w, strings.Join(s[:], ",")+"\r\n")
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// makeOrg makes the synthetic organisation in cfg's store: the demo's
// first start (a no-op on a store that has it), then job seekers from to
// from+n-1 imported through "hogo import" from a Shift_JIS CSV written in
// dir (and removed after). It returns the time of the import alone.
func makeOrg(ctx context.Context, cfg Config, dir string, from, n int) (time.Duration, error) {
	first := cfg
	first.Demo, first.Migrate = true, cfg.DB != ""
	first.Addr = "127.0.0.1:0"
	m := &Main{Config: first}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return 0, err
	}
	m.Close()
	if n <= 0 {
		return 0, nil
	}
	csv := filepath.Join(dir, fmt.Sprintf("seekers-%d.csv", from))
	defer os.Remove(csv)
	if err := writeSJISFrom(csv, from, n); err != nil {
		return 0, err
	}
	args := []string{"import", "--category", "job_seeker", "--source", "paper_form", "--purpose", "job_matching"}
	if cfg.DB != "" {
		args = append(args, "--db", cfg.DB, "--audit-key", cfg.AuditKey, "--keys", cfg.Keys)
	} else {
		args = append(args, "--data", cfg.Data)
	}
	var out, errb strings.Builder
	start := time.Now()
	code := run(ctx, append(args, csv), &stdio{in: strings.NewReader(""), out: &out, err: &errb})
	took := time.Since(start)
	if code != 0 {
		return took, fmt.Errorf("import: %s %s", strings.TrimSpace(out.String()), strings.TrimSpace(errb.String()))
	}
	return took, nil
}

// pgBenchConfig makes a schema of its own in the PostgreSQL database at
// base, and an audit signing key and vault keys in dir, and returns the
// configuration of a server on them and the function that drops the schema.
func pgBenchConfig(ctx context.Context, base, dir string) (Config, func(), error) {
	url, drop, err := postgres.CreateSchema(ctx, base, fmt.Sprintf("hogo_bench_%d", time.Now().UnixNano()))
	if err != nil {
		return Config{}, nil, err
	}
	cfg := Config{DB: url, AuditKey: filepath.Join(dir, "audit.key"), Keys: filepath.Join(dir, "vault-keys.json"),
		Addr: "127.0.0.1:0", CheckpointEvery: time.Hour}
	var errb strings.Builder
	quiet := &stdio{in: strings.NewReader(""), out: io.Discard, err: &errb}
	if run(ctx, []string{"audit", "keygen", "-o", cfg.AuditKey}, quiet) != 0 ||
		run(ctx, []string{"keys", "init", "-o", cfg.Keys}, quiet) != 0 {
		drop()
		return Config{}, nil, fmt.Errorf("keys: %s", strings.TrimSpace(errb.String()))
	}
	return cfg, drop, nil
}

// openBenchStore opens cfg's store directly, for the baselines and the
// synthetic rows.
func openBenchStore(ctx context.Context, cfg Config) (*sqlstore.DB, error) {
	if cfg.DB != "" {
		return postgres.Open(ctx, cfg.DB)
	}
	return sqlite.Open(ctx, cfg.Data)
}

// rawImport is the baseline of the import: the same job seekers (from to
// from+n-1) written to the same Shift_JIS CSV in dir, then read back,
// decoded and INSERTed as a principal row and a record row holding the
// items as plain JSON, vault.ImportBatch rows a transaction, with no
// check, data key, encryption, blind index or audit. It returns the time
// from opening the CSV to the last commit; the rows (IDs after every ID
// hogo makes) are deleted after, also after a failure.
func rawImport(ctx context.Context, cfg Config, dir string, from, n int) (took time.Duration, err error) {
	path := filepath.Join(dir, fmt.Sprintf("raw-seekers-%d.csv", from))
	defer os.Remove(path)
	if err := writeSJISFrom(path, from, n); err != nil {
		return 0, err
	}
	db, err := openBenchStore(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	run := rawPrefix + "i" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-"
	defer func() {
		// The baseline's rows are not hogo's: remove them.
		for _, q := range []string{`DELETE FROM records WHERE principal_id >= $1 AND principal_id < $2`, `DELETE FROM principals WHERE id >= $1 AND id < $2`} {
			if _, derr := db.Write.ExecContext(context.WithoutCancel(ctx), q, run, run[:len(run)-1]+"."); derr != nil && err == nil {
				err = derr
			}
		}
	}()
	key := make([]byte, 80) // about a wrapped data key's size
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	rd := csv.NewReader(japanese.ShiftJIS.NewDecoder().Reader(bufio.NewReaderSize(f, 1<<20)))
	if _, err := rd.Read(); err != nil { // the header
		return 0, err
	}
	row := 0
	for done := false; !done; {
		tx, err := db.Write.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		for k := 0; k < vault.ImportBatch; k++ {
			rec, err := rd.Read()
			if err == io.EOF {
				done = true
				break
			}
			if err != nil {
				tx.Rollback()
				return 0, err
			}
			items := make(map[string]string, len(seekerItems))
			for j, id := range seekerItems {
				items[id] = rec[j]
			}
			b, _ := json.Marshal(items)
			pid := run + strconv.Itoa(row)
			row++
			now := time.Now().UnixNano()
			if _, err := tx.ExecContext(ctx, `INSERT INTO principals (id, wrapped_key, created_at, updated_at) VALUES ($1, $2, $3, $4)`, pid, key, now, now); err != nil {
				tx.Rollback()
				return 0, err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO records (principal_id, id, category, source, acquired_at, purposes, notice_version, sealed, lookups, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				pid, pid+"-r", "job_seeker", "paper_form", now, "job_matching", "", b, []byte{}, 1, now, now); err != nil {
				tx.Rollback()
				return 0, err
			}
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	took = time.Since(start)
	if row != n {
		return took, fmt.Errorf("the raw import read %d rows, want %d", row, n)
	}
	return took, nil
}

// synthesise writes, straight into the SQLite store in data, n/5 further
// job seekers with five records each, whose wrapped keys and sealed
// records are copies of a real one's so rows have their real sizes. One
// principal in twenty closed their application on 2026-03-01 (due under
// six months' retention), one in twenty on 2026-10-01 (not yet due), the
// rest are open. It returns the number of due records. Their IDs begin
// with "zz".
func synthesise(ctx context.Context, data string, n int) (due int, err error) {
	db, err := sqlite.Open(ctx, data)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var key, sealed []byte
	var purposes, notice string
	if err := db.Read.QueryRowContext(ctx, `SELECT p.wrapped_key, r.sealed, r.purposes, r.notice_version FROM principals p JOIN records r ON r.principal_id = p.id LIMIT 1`).
		Scan(&key, &sealed, &purposes, &notice); err != nil {
		return 0, err
	}
	principals := n / 5
	acquired := time.Date(2024, 4, 1, 9, 0, 0, 0, hogo.Tokyo).UnixNano()
	const chunk = 50_000
	for start := 0; start < principals; start += chunk {
		end := min(start+chunk, principals)
		if err := func() error {
			tx, err := db.Write.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			// IDs in the vault's alphabet, 26 characters, after the real ones.
			if _, err := tx.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < $2)
			INSERT INTO principals (id, wrapped_key, created_at, updated_at) SELECT printf('zz%024d', i), $3, $4, $4 FROM s`,
				start, end, key, acquired); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < $2),
			k(j) AS (VALUES (1), (2), (3), (4), (5))
			INSERT INTO records (principal_id, id, category, source, acquired_at, purposes, notice_version, sealed, lookups, created_at, updated_at, events)
			SELECT printf('zz%024d', i), printf('r%025d', j), 'job_seeker', 'web_form', $3 + j * 86400000000000, $4, $5, $6, x'', $3, $3,
				CASE i % 20 WHEN 0 THEN 'application_closed=2026-03-01' WHEN 1 THEN 'application_closed=2026-10-01' ELSE '' END
			FROM s, k ORDER BY 1, 2`, start, end, acquired, purposes, notice, sealed); err != nil {
				return err
			}
			return tx.Commit()
		}(); err != nil {
			return 0, err
		}
	}
	if _, err := db.Write.ExecContext(ctx, `ANALYZE`); err != nil {
		return 0, err
	}
	return (principals + 19) / 20 * 5, nil
}
