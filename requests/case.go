package requests

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// Case is a request's case file: every check, payment, stop of the clock,
// decision and the answer. It can describe the requester (notes, the
// values of corrections), so it is kept sealed by the vault.
type Case struct {
	Checks    []Check              `json:"checks,omitempty"`
	Payments  []Payment            `json:"payments,omitempty"`
	Pauses    []Pause              `json:"pauses,omitempty"`
	Decisions map[string]*Decision `json:"decisions,omitempty"`
	Code      *OneTimeCode         `json:"code,omitempty"`
	Answer    *Answer              `json:"answer,omitempty"`
}

// Pause is a stop of the clock while the company waits for the
// requester: documents or details missing, or the fee unpaid.
type Pause struct {
	From   string `json:"from"`
	To     string `json:"to,omitempty"`
	Reason string `json:"reason"`
	Note   string `json:"note,omitempty"`
	By     string `json:"by"`
}

// Reasons for a pause.
const (
	WaitDetails   = "details"   // the request lacks details (incomplete)
	WaitDocuments = "documents" // identity documents or agent's evidence
	WaitFee       = "fee"       // the fee is unpaid and the ledger holds the answer until paid
	WaitOther     = "other"
)

// WaitReasons are the reasons the desk may stop the clock for.
var WaitReasons = []string{WaitDocuments, WaitFee, WaitOther}

func caseAD(id string) string { return "request case\x00" + id }

// DueSoonDays is how many business days before its due date a request is
// listed as due soon.
const DueSoonDays = 3

// Art39Days is the two weeks after which a principal may sue over a
// request (APPI Art. 39(1)): counted from the day after it arrived.
const Art39Days = 14

// openCase loads a request and its case file.
func (s *Service) openCase(ctx context.Context, id string) (*hogo.RightsRequest, *Case, error) {
	if !vault.ValidID(id) {
		return nil, nil, hogo.NewError(hogo.ENOTFOUND, "id", "請求が見つかりません。", "no such request")
	}
	r, err := s.store.GetRequest(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.caseOf(ctx, r)
	return r, c, err
}

func (s *Service) caseOf(ctx context.Context, r *hogo.RightsRequest) (*Case, error) {
	c := &Case{}
	if len(r.Case) > 0 {
		text, err := s.vault.OpenNote(ctx, r.Case, caseAD(r.ID))
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(text), c); err != nil {
			return nil, err
		}
	}
	if c.Decisions == nil {
		c.Decisions = map[string]*Decision{}
	}
	return c, nil
}

// change is one step of a request's handling: it may change the request
// and its case, and returns the audit detail of the step.
type change func(r *hogo.RightsRequest, c *Case, env *env) (map[string]string, error)

// env is what a step may consult: the ledger and calendar in force, today.
type env struct {
	l     *ledger.Ledger
	cal   *calendar.Calendar
	today calendar.Date
	now   time.Time
}

func (s *Service) env() (*env, error) {
	l, digest := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	cal, err := s.calendarFor(l, digest)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	return &env{l: l, cal: cal, today: calendar.DateOf(now), now: now}, nil
}

// HandleRoles handle requests: the desk and the protection manager.
var HandleRoles = []hogo.Role{hogo.RoleDesk, hogo.RoleManager}

func handler(a hogo.Actor) error {
	if !slices.Contains(HandleRoles, a.Role) {
		return hogo.NewError(hogo.EFORBIDDEN, "role", "請求の処理は窓口（desk）か個人情報保護管理者（manager）が行います。",
			"requests are handled by the desk or the protection manager")
	}
	return nil
}

// step applies one change to an open request as actor a and stores it with
// its audit entry (action, targeted at the receipt number) in one commit.
func (s *Service) step(ctx context.Context, a hogo.Actor, id, action string, fn change) (*hogo.RightsRequest, *Case, error) {
	r, c, err := s.openCase(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return s.stepOn(ctx, a, r, c, action, fn)
}

// also are further changes committed with the step (files of an answer).
func (s *Service) stepOn(ctx context.Context, a hogo.Actor, r *hogo.RightsRequest, c *Case, action string, fn change,
	also ...func(context.Context, hogo.Tx) error) (*hogo.RightsRequest, *Case, error) {
	if !r.Open() {
		return nil, nil, hogo.NewError(hogo.ECONFLICT, "status", "この請求は既に完了しています（%s）。", "the request is closed (%s)", r.Status)
	}
	return s.stepOnAny(ctx, a, r, c, action, fn, also...)
}

// stepOnAny is stepOn for requests that may already be closed: a link
// renewed or used after the answer went.
func (s *Service) stepOnAny(ctx context.Context, a hogo.Actor, r *hogo.RightsRequest, c *Case, action string, fn change,
	also ...func(context.Context, hogo.Tx) error) (*hogo.RightsRequest, *Case, error) {
	ev, err := s.env()
	if err != nil {
		return nil, nil, err
	}
	detail, err := fn(r, c, ev)
	if err != nil {
		return nil, nil, err
	}
	s.settle(r, c, ev)
	if err := s.seal(ctx, r, c); err != nil {
		return nil, nil, err
	}
	r.Version++
	r.UpdatedAt = ev.now
	e := a.Entry(action)
	e.Target = r.ReceiptNumber
	if detail == nil {
		detail = map[string]string{}
	}
	detail["status"] = r.Status
	e.Detail = detail
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		for _, f := range also {
			if err := f(ctx, tx); err != nil {
				return err
			}
		}
		return tx.UpdateRequest(ctx, r)
	}, e); err != nil {
		return nil, nil, err
	}
	return r, c, nil
}

func (s *Service) seal(ctx context.Context, r *hogo.RightsRequest, c *Case) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	r.Case, err = s.vault.SealNote(ctx, string(b), caseAD(r.ID))
	return err
}

// openPause returns the pause the desk started and has not ended.
func (c *Case) openPause() *Pause {
	for i := range c.Pauses {
		if c.Pauses[i].To == "" && c.Pauses[i].Reason != WaitDetails && c.Pauses[i].Reason != WaitFee {
			return &c.Pauses[i]
		}
	}
	return nil
}

// feeHeld reports whether the answer waits for the fee (APPI Art. 38;
// the ledger's answer_after_payment).
func feeHeld(r *hogo.RightsRequest, l *ledger.Ledger) bool {
	return l.Requests.AnswerAfterPayment && r.FeePaid < r.FeeDue
}

// settle sets a request's status from its case, and stops or restarts the
// clock: while the company waits for the requester (details missing,
// documents asked for, the fee unpaid once the identity is checked) the
// due date moves on by the business days waited.
func (s *Service) settle(r *hogo.RightsRequest, c *Case, ev *env) {
	if !r.Open() {
		r.PausedOn = ""
		return
	}
	var wait string
	switch {
	case len(r.Missing) > 0:
		r.Status, wait = hogo.RequestIncomplete, WaitDetails
	case c.openPause() != nil:
		r.Status, wait = hogo.RequestWaiting, c.openPause().Reason
	case r.Verified && feeHeld(r, ev.l):
		r.Status, wait = hogo.RequestWaiting, WaitFee
	case r.Verified:
		r.Status = hogo.RequestInProgress
	default:
		r.Status = hogo.RequestReceived
	}
	// The automatic pauses (details, fee) are kept in the case file too,
	// so that the timeline shows every day the clock stood still.
	for i := range c.Pauses {
		p := &c.Pauses[i]
		if p.To == "" && (p.Reason == WaitDetails || p.Reason == WaitFee) && p.Reason != wait {
			p.To = ev.today.String()
		}
	}
	if wait == WaitDetails || wait == WaitFee {
		open := false
		for _, p := range c.Pauses {
			open = open || (p.To == "" && p.Reason == wait)
		}
		if !open {
			c.Pauses = append(c.Pauses, Pause{From: ev.today.String(), Reason: wait, By: "hogo"})
		}
	}
	switch {
	case wait != "" && r.PausedOn == "":
		r.PausedOn = ev.today.String()
	case wait == "" && r.PausedOn != "":
		if from, err := calendar.ParseDate(r.PausedOn); err == nil {
			if due, err := calendar.ParseDate(r.DueOn); err == nil {
				if n := ev.cal.BusinessDaysBetween(from, ev.today); n > 0 {
					r.DueOn = ev.cal.AddBusinessDays(due, n).String()
				}
			}
		}
		r.PausedOn = ""
	}
}

// Complete fills in what an incomplete request lacked (a way to reach the
// requester, the kind of agent, the principal an agent acts for); the
// clock restarts once nothing is missing.
func (s *Service) Complete(ctx context.Context, a hogo.Actor, id string, patch Requester, responseMethod string) error {
	if err := handler(a); err != nil {
		return err
	}
	r, c, err := s.openCase(ctx, id)
	if err != nil {
		return err
	}
	det, err := s.requesterOf(ctx, r)
	if err != nil {
		return err
	}
	_, _, err = s.stepOn(ctx, a, r, c, "request.complete", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		rq := det.Requester
		set := func(dst *string, v string) {
			if strings.TrimSpace(v) != "" {
				*dst = strings.TrimSpace(v)
			}
		}
		set(&rq.Name, patch.Name)
		set(&rq.NameKana, patch.NameKana)
		set(&rq.Email, patch.Email)
		set(&rq.Phone, patch.Phone)
		set(&rq.Postal, patch.Postal)
		set(&rq.Address, patch.Address)
		set(&rq.PrincipalName, patch.PrincipalName)
		if patch.AgentKind != "" {
			if !slices.Contains(ledger.AgentKinds, patch.AgentKind) {
				return nil, hogo.NewError(hogo.EINVALID, "requester.agent_kind", "代理人の区分は次のいずれかです: %s",
					"requester.agent_kind must be one of: %s", strings.Join(ledger.AgentKinds, ", "))
			}
			rq.AgentKind = patch.AgentKind
		}
		method := det.ResponseMethod
		if responseMethod != "" {
			if !slices.Contains(ledger.ResponseMethods, responseMethod) {
				return nil, hogo.NewError(hogo.EINVALID, "response_method", "回答方法は次のいずれかです: %s",
					"response_method must be one of: %s", strings.Join(ledger.ResponseMethods, ", "))
			}
			method = responseMethod
		}
		if err := checkRequester(rq); err != nil {
			return nil, err
		}
		sealed, err := s.sealRequester(ctx, r.ID, rq, method)
		if err != nil {
			return nil, err
		}
		r.Requester = sealed
		r.Missing = missingOf(rq)
		return map[string]string{"missing": strconv.Itoa(len(r.Missing))}, nil
	})
	return err
}

// Wait stops the clock: the company waits for the requester (documents,
// the fee, or another reason given in the note).
func (s *Service) Wait(ctx context.Context, a hogo.Actor, id, reason, note string) error {
	if err := handler(a); err != nil {
		return err
	}
	if !slices.Contains(WaitReasons, reason) {
		return hogo.NewError(hogo.EINVALID, "reason", "待ちの理由は次のいずれかです: %s", "reason must be one of: %s", strings.Join(WaitReasons, ", "))
	}
	_, _, err := s.step(ctx, a, id, "request.wait", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		if c.openPause() != nil {
			return nil, hogo.NewError(hogo.ECONFLICT, "status", "既に請求者からの返答を待っています。", "the request is already waiting for the requester")
		}
		c.Pauses = append(c.Pauses, Pause{From: ev.today.String(), Reason: reason, Note: strings.TrimSpace(note), By: a.Name})
		return map[string]string{"reason": reason}, nil
	})
	return err
}

// Resume restarts the clock after a wait the desk started.
func (s *Service) Resume(ctx context.Context, a hogo.Actor, id string) error {
	if err := handler(a); err != nil {
		return err
	}
	_, _, err := s.step(ctx, a, id, "request.resume", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		p := c.openPause()
		if p == nil {
			return nil, hogo.NewError(hogo.ECONFLICT, "status", "待ちの状態ではありません。", "the request is not waiting")
		}
		p.To = ev.today.String()
		return map[string]string{"reason": p.Reason}, nil
	})
	return err
}

// Withdraw closes a request the requester withdrew.
func (s *Service) Withdraw(ctx context.Context, a hogo.Actor, id, note string) error {
	if err := handler(a); err != nil {
		return err
	}
	_, _, err := s.step(ctx, a, id, "request.withdraw", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		for i := range c.Pauses {
			if c.Pauses[i].To == "" {
				c.Pauses[i].To = ev.today.String()
			}
		}
		r.Status, r.ClosedOn = hogo.RequestWithdrawn, ev.today.String()
		return nil, nil
	})
	return err
}

// missingOf lists what a requester's details lack.
func missingOf(rq Requester) []string {
	var missing []string
	if rq.Email == "" && rq.Phone == "" && rq.Address == "" {
		missing = append(missing, "contact")
	}
	if rq.Kind == ledger.RequesterAgent {
		if rq.AgentKind == "" {
			missing = append(missing, "agent_kind")
		}
		if strings.TrimSpace(rq.PrincipalName) == "" {
			missing = append(missing, "principal_name")
		}
	}
	return missing
}

// checkRequester refuses malformed details (not missing ones).
func checkRequester(rq Requester) error {
	if rq.Kind != ledger.RequesterPrincipal && rq.Kind != ledger.RequesterAgent {
		return hogo.NewError(hogo.EINVALID, "requester.kind", "請求者の区分（requester.kind）は principal（本人）か agent（代理人）です。",
			"requester.kind is principal or agent")
	}
	if strings.TrimSpace(rq.Name) == "" {
		return hogo.NewError(hogo.EINVALID, "requester.name", "請求者の氏名（requester.name）を記入してください。", "requester.name is required")
	}
	if len([]rune(rq.Name)) > 100 || len([]rune(rq.Address)) > 300 || len(rq.Email) > 254 || len(rq.Phone) > 30 {
		return hogo.NewError(hogo.EINVALID, "requester", "請求者の情報が長すぎます（氏名100文字、住所300文字、メール254文字、電話30文字まで）。",
			"the requester's details are too long (name 100, address 300, e-mail 254, phone 30 characters)")
	}
	if rq.Email != "" && !strings.Contains(rq.Email, "@") {
		return hogo.NewError(hogo.EINVALID, "requester.email", "メールアドレスの形が正しくありません（例: taro@example.jp）。",
			"the e-mail address is not well formed (e.g. taro@example.jp)")
	}
	if rq.AgentKind != "" && !slices.Contains(ledger.AgentKinds, rq.AgentKind) {
		return hogo.NewError(hogo.EINVALID, "requester.agent_kind", "代理人の区分は次のいずれかです: %s",
			"requester.agent_kind must be one of: %s", strings.Join(ledger.AgentKinds, ", "))
	}
	return nil
}

// sealedRequester is the requester's details as sealed with a request.
type sealedRequester struct {
	Requester
	ResponseMethod string `json:"response_method,omitempty"`
}

func (s *Service) sealRequester(ctx context.Context, id string, rq Requester, method string) ([]byte, error) {
	b, err := json.Marshal(sealedRequester{rq, method})
	if err != nil {
		return nil, err
	}
	return s.vault.SealNote(ctx, string(b), requesterAD(id))
}

func (s *Service) requesterOf(ctx context.Context, r *hogo.RightsRequest) (*sealedRequester, error) {
	text, err := s.vault.OpenNote(ctx, r.Requester, requesterAD(r.ID))
	if err != nil {
		return nil, err
	}
	var d sealedRequester
	if err := json.Unmarshal([]byte(text), &d); err != nil {
		return nil, err
	}
	return &d, nil
}
