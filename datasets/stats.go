package datasets

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/anonymize"
)

// StatSpec asks for statistics (統計情報) of a category: counts of people
// by the items in By, each generalised to its level (0 as held; for a date
// 1 the month, 2 the year; an address 1 the municipality, 2 the prefecture),
// and with Sum the sum and mean of a number item per cell.
type StatSpec struct {
	Category string         `json:"category"`
	Purpose  string         `json:"purpose"`
	By       []string       `json:"by"`
	Levels   map[string]int `json:"levels,omitempty"`
	Sum      string         `json:"sum,omitempty"`
}

// Stats is a table of statistics in which no cell points at a person:
// every cell counting fewer people than the ledger's threshold is
// suppressed, and when only one cell is, the next smallest too, so that no
// suppressed count follows from the total.
type Stats struct {
	Threshold int        `json:"threshold"`
	Columns   []string   `json:"columns"`
	Cells     []StatCell `json:"cells"`
	Total     int        `json:"total"`
	// TotalHidden: the total itself is under the threshold, and hidden.
	TotalHidden bool `json:"total_hidden,omitempty"`
	Suppressed  int  `json:"suppressed_cells"`
}

// MaxBy bounds the items statistics count by at once: more axes make
// every cell small.
const MaxBy = 3

// StatCell is one combination of values with its count and, when asked,
// sum and mean; Hidden cells show none of them.
type StatCell struct {
	Values []string `json:"values"`
	Count  int      `json:"count,omitempty"`
	Sum    float64  `json:"sum,omitempty"`
	Mean   float64  `json:"mean,omitempty"`
	Hidden bool     `json:"hidden,omitempty"`
}

// Statistics reads the category's records for the purpose (each read
// audited, as an export) and counts them by the items asked, suppressing
// small cells (the ledger's statistics.min_cell).
func (s *Service) Statistics(ctx context.Context, a hogo.Actor, sp StatSpec) (*Stats, error) {
	if !slices.Contains(CreateRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "統計情報は個人情報保護管理者が作成します。", "statistics are made by the protection manager")
	}
	l, c, err := s.source(sp.Category, sp.Purpose)
	if err != nil {
		return nil, err
	}
	if len(sp.By) == 0 || len(sp.By) > MaxBy {
		return nil, invalid("by", "集計の軸にする項目を1〜3個選んでください。", "choose one to three items to count by")
	}
	items := append(slices.Clone(sp.By), sp.Sum)
	if sp.Sum == "" {
		items = items[:len(items)-1]
	} else if it := item(c, sp.Sum); it == nil || it.Type != "number" {
		return nil, invalid("sum", "合計する項目は種別の数値の項目から選んでください。", "the item to sum must be a number item of the category")
	}
	for i, id := range sp.By {
		it := item(c, id)
		if it == nil || slices.Contains(sp.By[i+1:], id) {
			return nil, invalid("by", "種別の項目ではないもの、又は二度指定された項目があります。", "an item given is not an item of the category, or is given twice")
		}
		if err := Eligible(it); err != nil {
			if he, ok := err.(*hogo.Error); ok {
				he.Field = "by"
			}
			return nil, err
		}
	}
	tab, err := s.read(ctx, a, c, Spec{Purpose: sp.Purpose, QI: items})
	if err != nil {
		return nil, err
	}
	// Each axis generalised to its level.
	gen := make([]*anonymize.Hierarchy, len(sp.By))
	for i, id := range sp.By {
		h, err := anonymize.ForItemType(string(item(c, id).Type), id, tab.Column(id), 0)
		if err != nil {
			return nil, invalid("by", "「%[1]s」の値を集計の区分にできません: %[3]v", "cannot make groups of the values of %[2]s: %[3]v",
				item(c, id).Name.Ja, item(c, id).Name.En, err)
		}
		if lv := sp.Levels[id]; lv < 0 || lv >= h.Height() {
			return nil, invalid("levels", "「%[1]s」の水準は0から%[3]dまでです。", "the level of %[2]s is 0 to %[3]d", item(c, id).Name.Ja, item(c, id).Name.En, h.Height()-1)
		}
		gen[i] = h
	}
	type acc struct {
		values []string
		n      int
		sum    float64
	}
	cells := map[string]*acc{}
	for _, row := range tab.Rows {
		vals := make([]string, len(sp.By))
		for i, id := range sp.By {
			vals[i], _ = gen[i].Generalise(row[i], sp.Levels[id])
		}
		k := strings.Join(vals, "\x00")
		ac := cells[k]
		if ac == nil {
			ac = &acc{values: vals}
			cells[k] = ac
		}
		ac.n++
		if sp.Sum != "" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(row[len(row)-1]), 64); err == nil {
				ac.sum += f
			}
		}
	}
	st := &Stats{Threshold: l.Statistics.Threshold(), Columns: sp.By, Total: len(tab.Rows)}
	for _, ac := range cells {
		cell := StatCell{Values: ac.values, Count: ac.n}
		if sp.Sum != "" {
			cell.Sum, cell.Mean = ac.sum, ac.sum/float64(ac.n)
		}
		st.Cells = append(st.Cells, cell)
	}
	sort.Slice(st.Cells, func(i, j int) bool { return slices.Compare(st.Cells[i].Values, st.Cells[j].Values) < 0 })
	hide := func(i int) {
		st.Cells[i] = StatCell{Values: st.Cells[i].Values, Hidden: true}
		st.Suppressed++
	}
	smallest := -1
	for i, cell := range st.Cells {
		if cell.Count < st.Threshold {
			hide(i)
		} else if smallest < 0 || cell.Count < st.Cells[smallest].Count {
			smallest = i
		}
	}
	// One hidden cell would follow from the total: hide the next smallest.
	if st.Suppressed == 1 && smallest >= 0 {
		hide(smallest)
	}
	// A hidden cell's values could name one person (an exact address or
	// birth date): the hidden cells become one row of "*".
	shown := st.Cells[:0]
	for _, cell := range st.Cells {
		if !cell.Hidden {
			shown = append(shown, cell)
		}
	}
	if st.Suppressed > 0 {
		stars := make([]string, len(sp.By))
		for i := range stars {
			stars[i] = anonymize.Root
		}
		shown = append(shown, StatCell{Values: stars, Hidden: true})
	}
	st.Cells = shown
	if st.Total < st.Threshold {
		st.Total, st.TotalHidden = 0, true
	}
	e := a.Entry("statistics.create")
	e.Category, e.Purpose = c.ID, sp.Purpose
	e.Detail = map[string]string{"by": strings.Join(sp.By, ","), "cells": strconv.Itoa(len(st.Cells)), "suppressed": strconv.Itoa(st.Suppressed),
		"threshold": strconv.Itoa(st.Threshold)}
	return st, s.audit.Append(ctx, e)
}
