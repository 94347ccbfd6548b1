package letter_test

import (
	"fmt"
	"log"
	"strings"

	"hogo.example.jp/hogo/letter"
	"hogo.example.jp/hogo/letter/pdftext"
)

func ExampleRender() {
	l := &letter.Letter{
		Title:     "保有個人データ開示請求に対する回答書",
		Date:      "令和8年11月24日",
		Reference: []string{"受付番号 20261124-7KQ2-MX9A"},
		Addressee: []string{"山田 太郎 様", "〒100-0001 東京都千代田区千代田1-1"},
		Sender:    []string{"株式会社ほげ商事", "個人情報保護相談窓口", "電話 03-1234-5678"},
		Opening:   []string{"　ご請求について、下記のとおり回答いたします。"},
		Sections: []letter.Section{{
			Heading: "開示する保有個人データ",
			Table: &letter.Table{
				Header: []string{"項目", "内容"},
				Rows:   [][]string{{"氏名", "山田 太郎"}, {"電話番号", "090-0000-0000"}},
				Widths: []float64{1, 3},
			},
		}},
		Closing: []string{"以上"},
		Footer:  "株式会社ほげ商事 個人情報保護相談窓口",
	}
	pdf, err := letter.Render(l, letter.Options{})
	if err != nil {
		log.Fatal(err)
	}
	text, err := pdftext.Text(pdf)
	if err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		fmt.Println(line)
	}
	// Output:
	// 令和8年11月24日
	// 受付番号 20261124-7KQ2-MX9A
	// 山田 太郎 様
	// 〒100-0001 東京都千代田区千代田1-1
	// 株式会社ほげ商事
	// 個人情報保護相談窓口
	// 電話 03-1234-5678
	// 保有個人データ開示請求に対する回答書
	// 　ご請求について、下記のとおり回答いたします。
	// 開示する保有個人データ
	// 項目 内容
	// 氏名 山田 太郎
	// 電話番号 090-0000-0000
	// 以上
	// 株式会社ほげ商事 個人情報保護相談窓口 1 / 1
}
