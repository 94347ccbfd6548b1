package breach

import (
	"testing"
	"time"

	"hogo.example.jp/hogo"
)

// TestTimelineWithoutAudit: when the audit listing no longer reaches an
// incident's recording, the timeline falls back on the stored state: the
// recording, the reports sent, the tasks added and done.
func TestTimelineWithoutAudit(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, hogo.Tokyo) }
	i := &hogo.Incident{ID: "x", KnownOn: "2026-12-01", CreatedAt: at(1, 10), PreliminarySent: "2026-12-04", FinalSent: "2026-12-04"}
	f := &Facts{DiscoveredAt: at(1, 9), DiscoveredBy: "staff2", Tasks: []Task{
		{ID: "t1", Kind: TaskInvestigate, AddedAt: at(1, 10), Done: true, DoneAt: at(2, 9), DoneBy: "manager1"},
		{ID: "t2", Title: "ログの保全", AddedAt: at(3, 9), AddedBy: "manager1"},
	}}
	var got []string
	for _, e := range timeline(i, f, nil, false) {
		got = append(got, e.Kind+" "+e.Task+e.Detail["which"])
	}
	want := []string{"discovered ", "known ", "recorded ", "task_done t1", "task_added t2", "report_sent preliminary", "report_sent final"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("event %d: %q, want %q (all: %q)", k, got[k], want[k], got)
		}
	}
}

// TestPlanTasksLegacy: an incident recorded before tasks existed gets the
// whole plan at its next update; one with tasks only what became due.
func TestPlanTasksLegacy(t *testing.T) {
	s := &Service{}
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, hogo.Tokyo)
	i := &hogo.Incident{KnownOn: "2026-12-01", Triggers: []string{TriggerOver1000}, PreliminaryDue: "2026-12-07", FinalDue: "2026-12-30"}
	f := &Facts{}
	if got := s.planTasks(f, i, hogo.Actor{Name: "manager1"}, now, false); len(got) != 7 {
		t.Errorf("legacy incident: added %v", got)
	}
	f = &Facts{Tasks: []Task{{ID: "t1", Kind: TaskInvestigate}}}
	if got := s.planTasks(f, i, hogo.Actor{Name: "manager1"}, now, false); len(got) != 3 || f.Tasks[1].Kind != TaskPreliminary || f.Tasks[1].ID != "t2" {
		t.Errorf("incident with tasks: added %v, tasks %+v", got, f.Tasks)
	}
}
