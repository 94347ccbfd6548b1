package breach

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
)

// Event is one entry of an incident's timeline (経緯): what happened,
// when and by whom.
type Event struct {
	// At is when it happened, or when hogo recorded it.
	At time.Time `json:"at"`
	// On is the day it happened when only the day is known or declared
	// (the day known, a report's or a notice's day); it orders the event.
	On    string `json:"on,omitempty"`
	Kind  string `json:"kind"` // EventKinds
	Actor string `json:"actor,omitempty"`
	// Task, TaskKind and Title name the task of a task event.
	Task     string `json:"task,omitempty"`
	TaskKind string `json:"task_kind,omitempty"`
	Title    string `json:"title,omitempty"`
	// Note is a notice's note.
	Note string `json:"note,omitempty"`
	// Detail holds codes and counts: status, affected, triggers, which,
	// method, count, tasks…
	Detail map[string]string `json:"detail,omitempty"`

	rank int
}

// Event kinds.
const (
	EventDiscovered   = "discovered"    // someone found it (DiscoveredAt, DiscoveredBy)
	EventKnown        = "known"         // the business knew: day 1 of the clock (則8)
	EventRecorded     = "recorded"      // entered in the register
	EventUpdated      = "updated"       // the facts were updated
	EventReportSent   = "report_sent"   // a report went to the PPC (法26(1))
	EventNotice       = "notice"        // a round of notices or a substitute measure (法26(2), 則10)
	EventTaskAdded    = "task_added"    // the manager added a task
	EventTaskDone     = "task_done"     // a task was done
	EventTaskReopened = "task_reopened" // a task was reopened
)

// EventKinds lists the kinds of timeline events.
var EventKinds = []string{EventDiscovered, EventKnown, EventRecorded, EventUpdated, EventReportSent, EventNotice,
	EventTaskAdded, EventTaskDone, EventTaskReopened}

// auditPage is how many entries one listing of the audit log returns
// (the store's largest page).
const auditPage = 1000

// Timeline returns an incident's timeline, oldest first: the discovery
// and the day known from the facts; the recording, each update, each
// report sent and each task added, done or reopened from the incident's
// audit entries; each notice round from the facts. Reading it is audited.
func (s *Service) Timeline(ctx context.Context, a hogo.Actor, id string) ([]Event, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "事案は個人情報保護管理者と監査担当が見られます。", "incidents are for the protection manager and the auditor")
	}
	i, f, err := s.open(ctx, id)
	if err != nil {
		return nil, err
	}
	e := a.Entry("incident.timeline")
	e.Target = i.ID
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	// Reads of the incident share its target: page back until its
	// recording, which is its first entry.
	var entries []*hogo.AuditEntry
	recorded := false
	for before := int64(0); !recorded; {
		page, err := s.store.ListAudit(ctx, hogo.AuditFilter{Target: i.ID, BeforeSeq: before, Limit: auditPage})
		if err != nil {
			return nil, err
		}
		for _, x := range page {
			switch x.Action {
			case "incident.record":
				recorded = true
				fallthrough
			case "incident.update", "incident.report_sent", "incident.task":
				entries = append(entries, x)
			}
		}
		if len(page) < auditPage {
			break
		}
		before = page[len(page)-1].Seq
	}
	return timeline(i, f, entries, recorded), nil
}

// timeline builds the events from the incident, its facts and its audit
// entries (any order). Without the recording among the entries (the log
// was cut short) the events it would give come from the stored state.
func timeline(i *hogo.Incident, f *Facts, entries []*hogo.AuditEntry, recorded bool) []Event {
	tokyo := func(t time.Time) time.Time { return t.In(hogo.Tokyo) }
	task := func(ev Event, id string) Event {
		ev.Task = id
		if k := slices.IndexFunc(f.Tasks, func(t Task) bool { return t.ID == id }); k >= 0 {
			ev.TaskKind, ev.Title = f.Tasks[k].Kind, f.Tasks[k].Title
		}
		return ev
	}
	var evs []Event
	if !f.DiscoveredAt.IsZero() {
		evs = append(evs, Event{At: tokyo(f.DiscoveredAt), Kind: EventDiscovered, Actor: f.DiscoveredBy, rank: 0})
	}
	if known, err := calendar.ParseDate(i.KnownOn); err == nil {
		at := known.Time(hogo.Tokyo)
		if !f.DiscoveredAt.IsZero() && calendar.DateOf(f.DiscoveredAt) == known {
			at = tokyo(f.DiscoveredAt)
		}
		evs = append(evs, Event{At: at, On: i.KnownOn, Kind: EventKnown, rank: 1})
	}
	seen := map[string]bool{}
	for _, x := range entries {
		ev := Event{At: tokyo(x.Time), Actor: x.Actor, rank: 3}
		d := x.Detail
		switch x.Action {
		case "incident.record", "incident.update":
			ev.Kind, ev.rank = EventUpdated, 3
			if x.Action == "incident.record" {
				ev.Kind, ev.rank = EventRecorded, 2
			}
			ev.Detail = pick(d, "status", "affected", "triggers", "final_due", "tasks")
			evs = append(evs, ev)
		case "incident.report_sent":
			ev.Kind, ev.On, ev.Detail = EventReportSent, d["on"], pick(d, "which", "on")
			seen["sent "+d["which"]] = true
			evs = append(evs, ev)
			if t := d["task_done"]; t != "" {
				seen[EventTaskDone+" "+t] = true
				evs = append(evs, task(Event{At: ev.At, On: ev.On, Kind: EventTaskDone, Actor: x.Actor, rank: 4}, t))
			}
		case "incident.task":
			ev = task(ev, d["task"])
			switch d["op"] {
			case "add":
				ev.Kind, ev.Detail = EventTaskAdded, pick(d, "due")
			case "done":
				ev.Kind = EventTaskDone
			case "reopen":
				ev.Kind = EventTaskReopened
			default:
				continue
			}
			seen[ev.Kind+" "+ev.Task] = true
			evs = append(evs, ev)
		}
	}
	for _, n := range f.Notices {
		at := n.At
		if at.IsZero() {
			at = i.CreatedAt
		}
		evs = append(evs, Event{At: tokyo(at), On: n.On, Kind: EventNotice, Actor: n.By, Note: n.Note,
			Detail: map[string]string{"method": n.Method, "count": strconv.Itoa(n.Count)}, rank: 3})
	}
	if !recorded {
		evs = append(evs, Event{At: tokyo(i.CreatedAt), Kind: EventRecorded, rank: 2})
		for _, r := range [][2]string{{"preliminary", i.PreliminarySent}, {"final", i.FinalSent}} {
			which, on := r[0], r[1]
			if on != "" && !seen["sent "+which] {
				d, _ := calendar.ParseDate(on)
				evs = append(evs, Event{At: d.Time(hogo.Tokyo), On: on, Kind: EventReportSent, Detail: map[string]string{"which": which, "on": on}, rank: 3})
			}
		}
		for _, t := range f.Tasks {
			if t.Kind == "" && !seen[EventTaskAdded+" "+t.ID] {
				evs = append(evs, task(Event{At: tokyo(t.AddedAt), Kind: EventTaskAdded, Actor: t.AddedBy, rank: 3}, t.ID))
			}
			if t.Done && !seen[EventTaskDone+" "+t.ID] {
				evs = append(evs, task(Event{At: tokyo(t.DoneAt), Kind: EventTaskDone, Actor: t.DoneBy, rank: 4}, t.ID))
			}
		}
	}
	// By day (the declared day, else the day it was recorded), then by
	// time, then discovery, day known and recording before the rest.
	day := func(e *Event) string {
		if e.On != "" {
			return e.On
		}
		return calendar.DateOf(e.At).String()
	}
	slices.SortStableFunc(evs, func(a, b Event) int {
		if c := strings.Compare(day(&a), day(&b)); c != 0 {
			return c
		}
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return a.rank - b.rank
	})
	if evs == nil {
		evs = []Event{}
	}
	return evs
}

// pick copies the non-empty values of keys from d.
func pick(d map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		if v := d[k]; v != "" {
			out[k] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
