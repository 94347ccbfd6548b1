package ledger

import (
	"crypto/sha256"
	"encoding/hex"
)

type indexes struct {
	categories map[string]*Category
	purposes   map[string]*Purpose
	sources    map[string]*Source
	events     map[string]*Event
	processors map[string]*Processor
	recipients map[string]*Recipient
	items      map[string]map[string]*Item
}

func (l *Ledger) index() {
	x := &indexes{
		categories: map[string]*Category{},
		purposes:   map[string]*Purpose{},
		sources:    map[string]*Source{},
		events:     map[string]*Event{},
		processors: map[string]*Processor{},
		recipients: map[string]*Recipient{},
		items:      map[string]map[string]*Item{},
	}
	for _, c := range l.Categories {
		x.categories[c.ID] = c
		m := map[string]*Item{}
		for _, it := range c.Items {
			m[it.ID] = it
		}
		x.items[c.ID] = m
	}
	for _, p := range l.Purposes {
		x.purposes[p.ID] = p
	}
	for _, s := range l.Sources {
		x.sources[s.ID] = s
	}
	for _, e := range l.Events {
		x.events[e.ID] = e
	}
	for _, p := range l.Processors {
		x.processors[p.ID] = p
	}
	for _, r := range l.Recipients {
		x.recipients[r.ID] = r
	}
	l.idx.Store(x)
}

// ix returns the lookup tables, building them on first use: a ledger built
// in code rather than parsed may be shared by goroutines, and two that
// build at once store equal tables.
func (l *Ledger) ix() *indexes {
	if x := l.idx.Load(); x != nil {
		return x
	}
	l.index()
	return l.idx.Load()
}

// Category returns the category with the given ID, or nil.
func (l *Ledger) Category(id string) *Category { return l.ix().categories[id] }

// Purpose returns the purpose with the given ID, or nil.
func (l *Ledger) Purpose(id string) *Purpose { return l.ix().purposes[id] }

// Source returns the acquisition method with the given ID, or nil.
func (l *Ledger) Source(id string) *Source { return l.ix().sources[id] }

// Event returns the retention event with the given ID, or nil.
func (l *Ledger) Event(id string) *Event { return l.ix().events[id] }

// Processor returns the processor with the given ID, or nil.
func (l *Ledger) Processor(id string) *Processor { return l.ix().processors[id] }

// Recipient returns the recipient with the given ID, or nil.
func (l *Ledger) Recipient(id string) *Recipient { return l.ix().recipients[id] }

// Item returns item itemID of category catID, or nil.
func (l *Ledger) Item(catID, itemID string) *Item { return l.ix().items[catID][itemID] }

// EventName returns the name of a retention event, including the built-in
// "acquired".
func (l *Ledger) EventName(id, lang string) string {
	if e := l.Event(id); e != nil {
		return e.Name.In(lang)
	}
	if id == EventAcquired {
		if lang == "en" {
			return "acquisition"
		}
		return "取得"
	}
	return id
}

// Digest returns the hex SHA-256 of a ledger file's bytes: the identity of
// one ledger revision.
func Digest(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}
