package requests

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// Payment is a fee received (APPI Art. 38).
type Payment struct {
	Method     string    `json:"method"` // ledger.FeePaymentMethods, or waived
	Amount     int       `json:"amount"`
	ReceivedOn string    `json:"received_on"`
	Note       string    `json:"note,omitempty"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
}

// PaymentWaived records that the fee is not charged.
const PaymentWaived = "waived"

// RecordPayment records a fee received: by bank transfer, cash by
// registered mail (現金書留), postal money order, stamps…; once the fee
// is paid a held answer may go.
func (s *Service) RecordPayment(ctx context.Context, a hogo.Actor, id string, p Payment) error {
	if err := handler(a); err != nil {
		return err
	}
	if p.Method != PaymentWaived && !slices.Contains(ledger.FeePaymentMethods, p.Method) {
		return hogo.NewError(hogo.EINVALID, "method", "支払方法は次のいずれかです: %s", "method must be one of: %s",
			strings.Join(append(slices.Clone(ledger.FeePaymentMethods), PaymentWaived), ", "))
	}
	if p.Method == PaymentWaived && a.Role != hogo.RoleManager {
		return hogo.NewError(hogo.EFORBIDDEN, "method", "手数料の免除は個人情報保護管理者が行います。", "only the protection manager waives a fee")
	}
	if p.Method != PaymentWaived && (p.Amount <= 0 || p.Amount > 1000000) {
		return hogo.NewError(hogo.EINVALID, "amount", "金額（円）を 1〜1,000,000 の整数で記入してください。", "amount is yen, 1 to 1,000,000")
	}
	if p.ReceivedOn != "" {
		if _, err := calendar.ParseDate(p.ReceivedOn); err != nil {
			return hogo.NewError(hogo.EINVALID, "received_on", "受領日は 2026-11-24 の形で記入してください。", "received_on is a date such as 2026-11-24")
		}
	}
	_, _, err := s.step(ctx, a, id, "request.payment", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		if r.FeeDue == 0 {
			return nil, hogo.NewError(hogo.EINVALID, "amount", "この請求に手数料はかかりません。", "this request carries no fee")
		}
		if p.ReceivedOn == "" {
			p.ReceivedOn = ev.today.String()
		}
		p.By, p.At, p.Note = a.Name, ev.now, strings.TrimSpace(p.Note)
		if r.FeePaid >= r.FeeDue {
			return nil, hogo.NewError(hogo.ECONFLICT, "amount", "手数料は既に受領済みです。", "the fee is already paid")
		}
		if p.Method == PaymentWaived {
			p.Amount = r.FeeDue - r.FeePaid
		}
		c.Payments = append(c.Payments, p)
		r.FeePaid += p.Amount
		return map[string]string{"method": p.Method, "amount": strconv.Itoa(p.Amount), "paid": strconv.Itoa(r.FeePaid),
			"due": strconv.Itoa(r.FeeDue)}, nil
	})
	return err
}

// Match links a request to the principal it concerns, found by the desk in
// the vault; "" records that no principal was found (the answer then says
// that no retained personal data exists).
func (s *Service) Match(ctx context.Context, a hogo.Actor, id, principal string) error {
	if err := handler(a); err != nil {
		return err
	}
	if principal != "" && !vault.ValidID(principal) {
		return hogo.NewError(hogo.EINVALID, "principal", "本人IDの形が正しくありません。", "the principal ID is not well formed")
	}
	r, c, err := s.openCase(ctx, id)
	if err != nil {
		return err
	}
	if !r.Open() {
		return hogo.NewError(hogo.ECONFLICT, "status", "この請求は既に完了しています（%s）。", "the request is closed (%s)", r.Status)
	}
	if principal != "" {
		// Proves the principal exists (and is audited against the request).
		if _, err := s.vault.RightsView(ctx, a, principal, r.ReceiptNumber); err != nil {
			return err
		}
	}
	_, _, err = s.stepOn(ctx, a, r, c, "request.match", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		r.PrincipalID = principal
		return map[string]string{"principal": principal}, nil
	})
	return err
}

// Decision is the answer to one request type.
type Decision struct {
	Outcome string `json:"outcome"`
	// Grounds are refusal grounds: statutory (Art33Grounds) or the
	// ledger's own ("ledger:N", its Nth refusal ground, from 1).
	Grounds []string `json:"grounds,omitempty"`
	// Reason is the reason written into the answer (APPI Art. 36).
	Reason string `json:"reason,omitempty"`
	// Purposes are the purposes stopped (suspend).
	Purposes []string `json:"purposes,omitempty"`
	// Corrections are the changes made (correct), before and after.
	Corrections []vault.Correction `json:"corrections,omitempty"`
	// Erased is what an erasure destroyed and kept.
	Erased *vault.Erased `json:"erased,omitempty"`
	// Withheld are items left out of a partial disclosure (with the
	// grounds above), e.g. the company's evaluations (seed policies'
	// 人事評価・選考に関する情報).
	Withheld []string  `json:"withheld,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// Outcomes of a decision.
const (
	Granted    = "granted"           // done / disclosed in full
	Partial    = "partial"           // in part, with the grounds for the rest
	Refused    = "refused"           // refused, with grounds (APPI Art. 33(2))
	NotHeld    = "not_held"          // no retained personal data exists
	Impossible = "impossible_method" // the method asked for cannot be used (Art. 33(2)): answered on paper
)

// Outcomes lists every outcome.
var Outcomes = []string{Granted, Partial, Refused, NotHeld, Impossible}

// Art33Grounds are the statutory grounds for not disclosing (APPI Art.
// 33(2)(1)–(3)), with their wording for the answer.
var Art33Grounds = []struct{ Key, Ja, En string }{
	{"art33_2_1", "本人又は第三者の生命、身体、財産その他の権利利益を害するおそれがあるため（個人情報保護法第33条第2項第1号）",
		"Disclosure may harm the life, body, property or other rights of the principal or a third party (APPI Art. 33(2)(i))"},
	{"art33_2_2", "当社の業務の適正な実施に著しい支障を及ぼすおそれがあるため（個人情報保護法第33条第2項第2号）",
		"Disclosure may seriously hinder the proper conduct of our business (APPI Art. 33(2)(ii))"},
	{"art33_2_3", "他の法令に違反することとなるため（個人情報保護法第33条第2項第3号）",
		"Disclosure would violate another law (APPI Art. 33(2)(iii))"},
}

// GroundText returns the wording of a ground key, in Japanese.
func GroundText(l *ledger.Ledger, key string) (string, bool) {
	for _, g := range Art33Grounds {
		if g.Key == key {
			return g.Ja, true
		}
	}
	if n, ok := strings.CutPrefix(key, "ledger:"); ok {
		i, err := strconv.Atoi(n)
		if err == nil && i >= 1 && i <= len(l.Requests.RefusalGrounds) {
			return l.Requests.RefusalGrounds[i-1].Ja + "（当社の定める不開示事由）", true
		}
	}
	return "", false
}

// DecisionInput is what the desk decides for one request type; for a
// granted correction, Record and Items are the change; for a granted
// suspension, Purposes ("*" for all use).
type DecisionInput struct {
	Type     string            `json:"type"`
	Outcome  string            `json:"outcome"`
	Grounds  []string          `json:"grounds,omitempty"`
	Reason   string            `json:"reason,omitempty"`
	Purposes []string          `json:"purposes,omitempty"`
	Record   string            `json:"record,omitempty"`
	Items    map[string]string `json:"items,omitempty"`
	// Withheld are item IDs left out of a partial disclosure.
	Withheld []string `json:"withheld,omitempty"`
}

// Decide records the answer to one of the request's types and, when it is
// granted, carries it out: a correction is applied (before and after kept
// in the case file), a suspension or stop of provision recorded in the
// vault, which refuses the stopped uses at once, an erasure done except
// for what a legal retention rule keeps.
func (s *Service) Decide(ctx context.Context, a hogo.Actor, id string, in DecisionInput) error {
	if err := handler(a); err != nil {
		return err
	}
	r, c, err := s.openCase(ctx, id)
	if err != nil {
		return err
	}
	l, _ := s.ledger()
	if l == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	if !slices.Contains(r.Types, in.Type) {
		return hogo.NewError(hogo.EINVALID, "type", "この請求に「%s」は含まれていません。", "the request does not include %q", in.Type)
	}
	if !r.Open() {
		// Checked before anything is carried out in the vault.
		return hogo.NewError(hogo.ECONFLICT, "status", "この請求は既に完了しています（%s）。", "the request is closed (%s)", r.Status)
	}
	if c.Decisions[in.Type] != nil {
		return hogo.NewError(hogo.ECONFLICT, "type", "「%s」は既に決定済みです。", "%q is already decided", in.Type)
	}
	if !slices.Contains(Outcomes, in.Outcome) {
		return hogo.NewError(hogo.EINVALID, "outcome", "決定は次のいずれかです: %s", "outcome must be one of: %s", strings.Join(Outcomes, ", "))
	}
	if !r.Verified && in.Outcome != NotHeld {
		return hogo.NewError(hogo.ECONFLICT, "verified", "本人確認が済んでいません。確認を記録してから決定してください（個人情報保護法第37条）。",
			"the requester is not verified yet; record the checks first (APPI Art. 37)")
	}
	for _, g := range in.Grounds {
		if _, ok := GroundText(l, g); !ok {
			return hogo.NewError(hogo.EINVALID, "grounds", "不開示事由「%s」はありません。art33_2_1〜art33_2_3 か ledger:N（台帳の不開示事由の番号）を指定してください。",
				"ground %q is not known; use art33_2_1 to art33_2_3 or ledger:N (the ledger's Nth refusal ground)", g)
		}
	}
	if (in.Outcome == Refused || in.Outcome == Partial) && len(in.Grounds) == 0 && strings.TrimSpace(in.Reason) == "" {
		return hogo.NewError(hogo.EINVALID, "grounds", "一部または全部を応じない場合は、理由（不開示事由か説明）を示してください（個人情報保護法第36条）。",
			"a refusal or partial answer needs its grounds or a reason (APPI Art. 36)")
	}
	if len([]rune(in.Reason)) > 2000 {
		return hogo.NewError(hogo.EINVALID, "reason", "理由は2000文字以内にしてください。", "keep the reason within 2000 characters")
	}
	d := &Decision{Outcome: in.Outcome, Grounds: in.Grounds, Reason: strings.TrimSpace(in.Reason), By: a.Name}
	if len(in.Withheld) > 0 {
		if in.Type != ledger.ReqDisclose || in.Outcome != Partial {
			return hogo.NewError(hogo.EINVALID, "withheld", "開示しない項目は、開示を「一部応じる」とするときに指定します。",
				"withheld items go with a partial disclosure")
		}
		for _, it := range in.Withheld {
			if !itemInLedger(l, it) {
				return hogo.NewError(hogo.EINVALID, "withheld", "項目「%s」は台帳にありません。", "item %q is not in the ledger", it)
			}
		}
		d.Withheld = in.Withheld
	}
	acting := in.Outcome == Granted || in.Outcome == Partial
	if acting && needsPrincipal(in.Type) && r.PrincipalID == "" {
		return hogo.NewError(hogo.ECONFLICT, "principal", "本人が特定されていません。台帳の本人と照合してから決定するか、「保有していない」としてください。",
			"the request is not matched to a principal; match it first, or answer that no data is held")
	}
	if acting {
		switch in.Type {
		case ledger.ReqCorrect:
			if in.Record == "" || len(in.Items) == 0 {
				return hogo.NewError(hogo.EINVALID, "items", "訂正する記録と項目を指定してください。", "name the record and the items to correct")
			}
			if d.Corrections, err = s.vault.RightsCorrect(ctx, a, r.PrincipalID, in.Record, r.ReceiptNumber, in.Items); err != nil {
				return err
			}
		case ledger.ReqSuspend:
			ps := in.Purposes
			if len(ps) == 0 {
				ps = []string{"*"}
			}
			if err := s.vault.RightsSuspend(ctx, a, r.PrincipalID, r.ReceiptNumber, ps); err != nil {
				return err
			}
			d.Purposes = ps
		case ledger.ReqStopProvision:
			if err := s.vault.RightsSuspend(ctx, a, r.PrincipalID, r.ReceiptNumber, []string{vault.StopProvision}); err != nil {
				return err
			}
			d.Purposes = []string{vault.StopProvision}
		case ledger.ReqErase:
			if d.Erased, err = s.vault.RightsErase(ctx, a, r.PrincipalID, r.ReceiptNumber); err != nil {
				return err
			}
		}
	}
	_, _, err = s.stepOn(ctx, a, r, c, "request.decide", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		d.At = ev.now
		c.Decisions[in.Type] = d
		det := map[string]string{"type": in.Type, "outcome": in.Outcome, "grounds": strings.Join(in.Grounds, ",")}
		if d.Erased != nil {
			det["erased"], det["kept"] = strconv.Itoa(d.Erased.Records), strconv.Itoa(len(d.Erased.Kept))
		}
		if len(d.Corrections) > 0 {
			det["corrected"] = strconv.Itoa(len(d.Corrections))
		}
		return det, nil
	})
	return err
}

func needsPrincipal(t string) bool {
	return t != ledger.ReqDiscloseRecords
}

func itemInLedger(l *ledger.Ledger, id string) bool {
	for _, c := range l.Categories {
		if l.Item(c.ID, id) != nil {
			return true
		}
	}
	return false
}
