package breach

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
)

// Task is one action of handling an incident (対応タスク): who does what
// by when. Tasks live in the sealed facts, since a title or a note may
// name people.
type Task struct {
	ID string `json:"id"`
	// Kind is the step of the default plan the task stands for
	// (TaskKinds), empty for a task the manager added.
	Kind     string    `json:"kind,omitempty"`
	Title    string    `json:"title"`
	Assignee string    `json:"assignee,omitempty"` // a staff user's name
	Due      string    `json:"due,omitempty"`      // YYYY-MM-DD, the last day
	Note     string    `json:"note,omitempty"`
	AddedBy  string    `json:"added_by"`
	AddedAt  time.Time `json:"added_at"`
	Done     bool      `json:"done"`
	DoneAt   time.Time `json:"done_at,omitzero"`
	DoneBy   string    `json:"done_by,omitempty"`
	// Overdue is worked out when the task is shown, never stored: not
	// done and past its due day in Tokyo.
	Overdue bool `json:"overdue"`
}

// overdue reports whether t is past its due day on today.
func (t *Task) overdue(today calendar.Date) bool {
	if t.Done || t.Due == "" {
		return false
	}
	d, err := calendar.ParseDate(t.Due)
	return err == nil && today.After(d)
}

// The kinds of the default plan, seeded from what is known when an
// incident is recorded (and, for the reports and notices, when an update
// makes them due).
const (
	TaskInvestigate = "investigate" // 事実関係の調査
	TaskScope       = "scope"       // 影響範囲の特定 (則8(1)(ii)(iii): items and number of principals)
	TaskContain     = "contain"     // 二次被害の防止策 (則8(1)(v))
	// TaskPreliminary is the preliminary report (速報, 法26(1), 則8(1)),
	// due on the preliminary deadline.
	TaskPreliminary = "preliminary"
	// TaskFinal is the final report (確報, 則8(2)), due in 30 or 60 days.
	TaskFinal = "final"
	// TaskNotifyPrincipals is the notice to the principals, or a
	// substitute measure when they cannot be reached (法26(2), 則10).
	TaskNotifyPrincipals = "notify_principals"
	// TaskNotifyEntrustor is the entrustee's notice to the entrustor,
	// which stands in for its report and notices (法26(1)ただし書, 則9).
	TaskNotifyEntrustor = "notify_entrustor"
	TaskPrevention      = "prevention" // 再発防止策の策定 (則8(1)(viii))
)

// TaskKinds lists the kinds in the order a plan is seeded.
var TaskKinds = []string{TaskInvestigate, TaskScope, TaskContain, TaskPreliminary, TaskFinal, TaskNotifyPrincipals,
	TaskNotifyEntrustor, TaskPrevention}

// taskTitles are the seeded tasks' titles. The console shows the kind in
// the reader's language; the title is what the API gives.
var taskTitles = map[string]string{
	TaskInvestigate:      "事実関係の調査",
	TaskScope:            "影響範囲（項目・本人の数）の特定",
	TaskContain:          "二次被害の防止策・拡大防止",
	TaskPreliminary:      "速報の提出（個人情報保護委員会）",
	TaskFinal:            "確報の提出（個人情報保護委員会）",
	TaskNotifyPrincipals: "本人への通知（困難なときは代替措置）",
	TaskNotifyEntrustor:  "委託元への通知",
	TaskPrevention:       "再発防止策の策定",
}

// Limits of a task, so that the sealed facts stay small.
const (
	maxTasks        = 200
	maxTaskTitle    = 200
	maxTaskAssignee = 100
	maxTaskNote     = 2000
)

// TaskInput is a task as the manager adds it.
type TaskInput struct {
	Title    string `json:"title"`
	Assignee string `json:"assignee"`
	Due      string `json:"due"` // YYYY-MM-DD, optional
	Note     string `json:"note"`
}

// nextTaskID numbers tasks t1, t2… within their incident.
func nextTaskID(f *Facts) string {
	n := 0
	for _, t := range f.Tasks {
		if k, err := strconv.Atoi(strings.TrimPrefix(t.ID, "t")); err == nil && k > n {
			n = k
		}
	}
	return "t" + strconv.Itoa(n+1)
}

// openTask returns the first task of a kind not done, or nil.
func openTask(f *Facts, kind string) *Task {
	for k := range f.Tasks {
		if f.Tasks[k].Kind == kind && !f.Tasks[k].Done {
			return &f.Tasks[k]
		}
	}
	return nil
}

// planTasks adds the tasks an incident needs and lacks: when it is
// recorded the whole default plan; later the reports and notices an
// update made due (the whole plan for an incident recorded before tasks
// existed: there is no deleting a task, so none means none planned). The
// report tasks not done follow the deadlines (empty when no report is due
// any more). It returns the IDs added.
func (s *Service) planTasks(f *Facts, i *hogo.Incident, a hogo.Actor, now time.Time, record bool) []string {
	type want struct {
		kind, due string
		done      bool
	}
	full := record || len(f.Tasks) == 0
	var ws []want
	if full {
		ws = append(ws, want{kind: TaskInvestigate}, want{kind: TaskScope}, want{kind: TaskContain})
	}
	if i.PreliminaryDue != "" {
		// A report is due (法26(1), 則7), and so are the notices (法26(2)).
		ws = append(ws, want{TaskPreliminary, i.PreliminaryDue, i.PreliminarySent != ""}, want{TaskFinal, i.FinalDue, i.FinalSent != ""},
			want{kind: TaskNotifyPrincipals})
	}
	if f.Entrustee {
		// "Promptly" (則9): the preliminary report's target when a
		// trigger is met, else no set day.
		w := want{kind: TaskNotifyEntrustor}
		if known, err := calendar.ParseDate(i.KnownOn); err == nil && len(i.Triggers) > 0 {
			if d, err := Compute(known, i.Triggers, s.PreliminaryDays); err == nil {
				w.due = d.PreliminaryDue
			}
		}
		ws = append(ws, w)
	}
	if full {
		ws = append(ws, want{kind: TaskPrevention})
	}
	var added []string
	for _, w := range ws {
		if slices.ContainsFunc(f.Tasks, func(t Task) bool { return t.Kind == w.kind }) {
			continue
		}
		t := Task{ID: nextTaskID(f), Kind: w.kind, Title: taskTitles[w.kind], Due: w.due, AddedBy: a.Name, AddedAt: now}
		if w.done {
			t.Done, t.DoneAt, t.DoneBy = true, now, a.Name
		}
		f.Tasks = append(f.Tasks, t)
		added = append(added, t.ID)
	}
	for k := range f.Tasks {
		t := &f.Tasks[k]
		if t.Done {
			continue
		}
		switch t.Kind {
		case TaskPreliminary:
			t.Due = i.PreliminaryDue
		case TaskFinal:
			t.Due = i.FinalDue
		}
	}
	return added
}

// checkTaskText checks a task's free text by length; errors name the
// field, never the text.
func checkTaskText(field, ja, v string, max int) error {
	if utf8.RuneCountInString(v) > max {
		return hogo.NewError(hogo.EINVALID, field, "%s（%s）は%d文字以内にしてください。", "%[2]s is at most %[3]d characters", ja, field, max)
	}
	return nil
}

// AddTask adds a task to an incident (the protection manager).
func (s *Service) AddTask(ctx context.Context, a hogo.Actor, id string, in TaskInput) (*View, error) {
	if !slices.Contains(ManageRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "対応タスクは個人情報保護管理者が管理します。", "tasks are kept by the protection manager")
	}
	in.Title, in.Assignee, in.Due, in.Note = strings.TrimSpace(in.Title), strings.TrimSpace(in.Assignee), strings.TrimSpace(in.Due), strings.TrimSpace(in.Note)
	if in.Title == "" {
		return nil, hogo.NewError(hogo.EINVALID, "title", "タスクの内容（title）を記入してください（例: 委託先へのログ提出依頼）。",
			"give the task a title (e.g. ask the processor for its logs)")
	}
	for _, x := range []struct {
		field, ja, v string
		max          int
	}{{"title", "内容", in.Title, maxTaskTitle}, {"assignee", "担当者", in.Assignee, maxTaskAssignee}, {"note", "メモ", in.Note, maxTaskNote}} {
		if err := checkTaskText(x.field, x.ja, x.v, x.max); err != nil {
			return nil, err
		}
	}
	if in.Due != "" {
		d, err := calendar.ParseDate(in.Due)
		if err != nil {
			return nil, hogo.NewError(hogo.EINVALID, "due", "期限（due）は 2026-11-24 の形で指定してください。", "give due as 2026-11-24")
		}
		in.Due = d.String()
	}
	i, f, err := s.open(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(f.Tasks) >= maxTasks {
		return nil, hogo.NewError(hogo.ECONFLICT, "tasks", "1件の事案に登録できるタスクは%d件までです。", "an incident holds at most %d tasks", maxTasks)
	}
	now := s.Now()
	t := Task{ID: nextTaskID(f), Title: in.Title, Assignee: in.Assignee, Due: in.Due, Note: in.Note, AddedBy: a.Name, AddedAt: now}
	f.Tasks = append(f.Tasks, t)
	e := a.Entry("incident.task")
	e.Target = i.ID
	// The title, assignee and note stay sealed: the entry carries codes.
	e.Detail = map[string]string{"task": t.ID, "op": "add", "due": t.Due}
	return s.commit(ctx, i, f, now, e)
}

// SetTask marks a task done or, with done false, reopens it (the
// protection manager); a note, when given, replaces the task's.
func (s *Service) SetTask(ctx context.Context, a hogo.Actor, id, task string, done bool, note string) (*View, error) {
	if !slices.Contains(ManageRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "対応タスクは個人情報保護管理者が管理します。", "tasks are kept by the protection manager")
	}
	note = strings.TrimSpace(note)
	if err := checkTaskText("note", "メモ", note, maxTaskNote); err != nil {
		return nil, err
	}
	i, f, err := s.open(ctx, id)
	if err != nil {
		return nil, err
	}
	k := slices.IndexFunc(f.Tasks, func(t Task) bool { return t.ID == task })
	if k < 0 {
		return nil, hogo.NewError(hogo.ENOTFOUND, "task", "この事案にそのタスクはありません。", "the incident has no such task")
	}
	t := &f.Tasks[k]
	if t.Done == done {
		if done {
			return nil, hogo.NewError(hogo.ECONFLICT, "done", "このタスクはすでに完了しています。", "the task is already done")
		}
		return nil, hogo.NewError(hogo.ECONFLICT, "done", "このタスクはまだ完了していません。", "the task is not done")
	}
	now := s.Now()
	op := "reopen"
	t.Done, t.DoneAt, t.DoneBy = false, time.Time{}, ""
	if done {
		op = "done"
		t.Done, t.DoneAt, t.DoneBy = true, now, a.Name
	}
	if note != "" {
		t.Note = note
	}
	e := a.Entry("incident.task")
	e.Target = i.ID
	e.Detail = map[string]string{"task": t.ID, "op": op}
	return s.commit(ctx, i, f, now, e)
}

// commit seals f into i and stores i over its version with its audit
// entry: the change and the entry commit together.
func (s *Service) commit(ctx context.Context, i *hogo.Incident, f *Facts, now time.Time, e *hogo.AuditEntry) (*View, error) {
	if err := s.seal(ctx, i, f); err != nil {
		return nil, err
	}
	i.Version++
	i.UpdatedAt = now
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateIncident(ctx, i) }, e); err != nil {
		return nil, err
	}
	return s.view(i, f, calendar.DateOf(now)), nil
}

// HoldScope returns an incident's scope (categories, acquisition range,
// principals), so that a legal hold of kind incident covers what the
// incident concerns (retention). It checks no actor and writes no audit
// entry: the caller is the system, and audits what it does with it.
func (s *Service) HoldScope(ctx context.Context, id string) (*Scope, error) {
	_, f, err := s.open(ctx, id)
	if err != nil {
		return nil, err
	}
	sc := f.Scope
	sc.Categories, sc.Principals = slices.Clone(sc.Categories), slices.Clone(sc.Principals)
	return &sc, nil
}
