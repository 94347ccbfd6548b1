package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/retention"
	"hogo.example.jp/hogo/vault"
)

// A record's ledger events (出来事: 求職申込みの終了, 退職…), from which its
// retention counts (APPI Art. 22), recorded where recruiters and the desk
// work: over the API, and on the console's principal page, where each
// record shows its events, the due date that follows from its category's
// rule (or the event it still waits for), and a form to record one.
// retention.Service.SetEvent checks and audits every write.

// eventRecorder may record a record's events: the roles SetEvent allows.
func eventRecorder(r hogo.Role) bool {
	return r == hogo.RoleStaff || r == hogo.RoleDesk || r == hogo.RoleManager
}

// eventBody is the body of POST /api/v1/principals/{id}/records/{rid}/events.
type eventBody struct {
	Event string `json:"event"`
	On    string `json:"on"`
}

// recordEvent checks what it can before the write (the errors name the
// field, never the value given) and records the event through retention.
func (s *Server) recordEvent(ctx context.Context, a hogo.Actor, principal, record, event, on string) error {
	if err := s.retentionReady(); err != nil {
		return err
	}
	event, on = strings.TrimSpace(event), strings.TrimSpace(on)
	if event == "" {
		return hogo.NewError(hogo.EINVALID, "event", "出来事（event）を指定してください（例: application_closed）。",
			"name the event (e.g. application_closed)")
	}
	if st := s.Ledger(); st != nil && st.Ledger.Event(event) == nil {
		return hogo.NewError(hogo.EINVALID, "event", "指定された出来事は台帳にありません。台帳の events にある id を指定してください。",
			"the event given is not in the ledger; name an event id from the ledger's events")
	}
	if on == "" {
		return hogo.NewError(hogo.EINVALID, "on", "出来事の日付（on）を 2026-11-24 の形で指定してください。", "give the day of the event (on) as 2026-11-24")
	}
	if !vault.ValidID(principal) {
		return hogo.NewError(hogo.ENOTFOUND, "id", "本人が見つかりません。", "no such principal")
	}
	return s.Retention.SetEvent(ctx, a, principal, record, event, on)
}

// apiRecordEvent records that a ledger event happened for a record on a
// day: 204, audited as record.event.
func (s *Server) apiRecordEvent(w http.ResponseWriter, r *http.Request, c *who) error {
	var in eventBody
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if err := s.recordEvent(r.Context(), c.Actor, r.PathValue("id"), r.PathValue("rid"), in.Event, in.On); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// principalEvent is the console's form: the event recorded, back to the
// principal page read for the same purpose, which shows the due date that
// follows. A refusal shows the page again with the message.
func (s *Server) principalEvent(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id, rid, purpose := r.PathValue("id"), r.PathValue("rid"), r.PostFormValue("purpose")
	if err := s.recordEvent(r.Context(), c.Actor, id, rid, r.PostFormValue("event"), r.PostFormValue("on")); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.showPrincipal(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p, vault.Use{Purpose: purpose})
		return
	}
	q := url.Values{"flash": {"vault.event_recorded"}}
	if purpose != "" {
		q.Set("purpose", purpose)
	}
	http.Redirect(w, r, "/console/principals/"+id+"?"+q.Encode()+"#events-"+rid, http.StatusSeeOther)
}

// eventOption is a ledger event in the form's select box.
type eventOption struct {
	ID, Name string
	Selected bool
}

// eventRow is an event recorded for a record.
type eventRow struct {
	ID, Name, FullName string
	// On is the day, YYYY-MM-DD; Day the same as the console writes it.
	On, Day string
}

// recordEvents is what the principal page shows of a record's retention.
type recordEvents struct {
	RecordID string
	Events   []eventRow
	// Rule is the category's rule in words (求職申込みの終了から6か月).
	Rule string
	// Due is the due date (YYYY-MM-DD) when known; DueLine what follows
	// 保存期限: the day, the event awaited, or that the ledger sets none.
	Due, DueLine string
	Waiting      string
	// The form, for the roles that record events.
	CanRecord bool
	Options   []eventOption
	Today     string
}

// shortEventName is an event's name without its explanation in
// parentheses: 求職申込みの終了 for 求職申込みの終了（登録の解除、…）.
func shortEventName(name string) string {
	for _, sep := range []string{"（", " ("} {
		if i := strings.Index(name, sep); i > 0 {
			return strings.TrimSpace(name[:i])
		}
	}
	return name
}

// eventsOf returns the events recorded for the principal's records, by
// record ID. They are read from the store's retention index (category,
// principal, record, events: no personal data is read or decrypted).
func (s *Server) eventsOf(ctx context.Context, principal string, recs []*vault.RecordView) (map[string]map[string]string, error) {
	rs, ok := s.Store.(hogo.RetentionService)
	if !ok {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "出来事を読めません。", "the store cannot read record events")
	}
	perCategory := map[string]int{}
	for _, r := range recs {
		perCategory[r.Category]++
	}
	cats := make([]string, 0, len(perCategory))
	for c := range perCategory {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	out := map[string]map[string]string{}
	for _, cat := range cats {
		// The principal's records with an event come first after the key
		// (principal, ""), at most as many as they have in the category.
		err := rs.ScanRetention(ctx, cat, true, time.Time{}, hogo.RetentionKey{PrincipalID: principal}, perCategory[cat],
			func(r *hogo.Record) error {
				if r.PrincipalID == principal {
					out[r.ID] = r.Events
				}
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// addRecordEvents puts into the principal page's data, under "Events", each
// record's events, due date and form.
func (s *Server) addRecordEvents(ctx context.Context, c *who, p *page, data map[string]any, v *vault.View) {
	st := s.Ledger()
	if st == nil || v == nil || len(v.Records) == 0 {
		return
	}
	events, err := s.eventsOf(ctx, v.ID, v.Records)
	if err != nil {
		s.Logger.Error("record events unreadable", "err", errorKind(err))
		return
	}
	l, lang := st.Ledger, p.Lang
	can := eventRecorder(c.Actor.Role) && s.Retention != nil
	today := calendar.DateOf(s.Now()).String()
	out := make(map[string]*recordEvents, len(v.Records))
	for _, rv := range v.Records {
		cat := l.Category(rv.Category)
		re := &recordEvents{RecordID: rv.ID, CanRecord: can, Today: today}
		for ev, on := range events[rv.ID] {
			full := l.EventName(ev, lang)
			re.Events = append(re.Events, eventRow{ID: ev, Name: shortEventName(full), FullName: full, On: on, Day: retentionDay(on, lang)})
		}
		sort.Slice(re.Events, func(i, j int) bool {
			a, b := re.Events[i], re.Events[j]
			return a.On < b.On || a.On == b.On && a.ID < b.ID
		})
		ruleEvent := ""
		switch {
		case cat == nil || cat.Retention == nil || cat.Retention.Period.IsZero():
			re.DueLine = T(lang, "events.no_rule")
		default:
			ruleEvent = cat.Retention.After.ID
			if ruleEvent == "" {
				ruleEvent = ledger.EventAcquired
			}
			re.Rule = fmt.Sprintf(T(lang, "events.rule_text"), shortEventName(l.EventName(ruleEvent, lang)), cat.Retention.Period.Describe(lang))
			if due, ok := retention.Due(cat, &hogo.Record{AcquiredAt: rv.AcquiredAt, Events: events[rv.ID]}); ok {
				re.Due = due.String()
				re.DueLine = retentionDay(re.Due, lang)
			} else {
				re.Waiting = shortEventName(l.EventName(ruleEvent, lang))
				re.DueLine = fmt.Sprintf(T(lang, "events.waiting"), re.Waiting)
			}
		}
		if can {
			// Every ledger event, the one the category's rule counts from
			// first and chosen.
			for _, e := range l.Events {
				o := eventOption{ID: e.ID, Name: e.Name.In(lang), Selected: e.ID == ruleEvent}
				if o.Selected {
					re.Options = append([]eventOption{o}, re.Options...)
				} else {
					re.Options = append(re.Options, o)
				}
			}
		}
		out[rv.ID] = re
	}
	data["Events"] = out
}
