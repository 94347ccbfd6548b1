package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/encoding/japanese"

	"hogo.example.jp/hogo/postgres"
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
	return [8]string{
		f[0] + " " + g[0],
		f[1] + " " + g[1],
		fmt.Sprintf("user%d@example.jp", i),
		fmt.Sprintf("%s-%04d-%04d", benchMobile[i%len(benchMobile)], (i/10000)%10000, i%10000),
		fmt.Sprintf("19%02d-%02d-%02d", 60+i%40, 1+i%12, 1+i%28),
		fmt.Sprintf("%s-%04d", p[0], i%10000),
		fmt.Sprintf("%s%d-%d-%d", p[1], 1+i%5, 1+i%20, 1+i%15),
		benchQualifications[(i/3)%len(benchQualifications)],
	}
}

// writeSJIS writes n rows × 8 items of job_seeker data as Shift_JIS CSV.
func writeSJIS(path string, n int) error { return writeSJISFrom(path, 0, n) }

// writeSJISFrom writes job seekers from to from+n-1.
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
