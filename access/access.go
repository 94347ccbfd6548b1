// Package access decides whether a member of staff may use a category of
// personal information for a purpose, and which of its items the use may
// touch: the purpose-bound use of APPI Art. 17 and 18(1), the legal exceptions
// of Art. 18(3), special-care information (Art. 20(2)) and individual numbers
// (番号法 Art. 9, 19, 20), decided from the ledger alone.
//
// Decide is a pure function: it reads the ledger, the request and what is
// known about the principal, and nothing else (no I/O, no clock, no global
// state), so the same inputs always give the same decision and a decision can
// be replayed from the audit log. Recording the decision, and queueing a use
// allowed only by a legal exception for the protection manager's review, is
// the caller's job.
package access

import (
	"slices"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// Op is what a use does to the items it touches.
type Op int

// The operations. The zero Op is not one of them, so that a request that
// forgets to say what it does is refused rather than read as a read.
const (
	// Read is viewing, searching, exporting or otherwise using the data.
	Read Op = iota + 1
	// Write is creating or correcting data (including 訂正・追加, APPI
	// Art. 34).
	Write
	// Erase is deleting data (消去, APPI Art. 35; 番号法 Art. 20 for
	// individual numbers past their retention).
	Erase
)

var opNames = [...]string{Read: "read", Write: "write", Erase: "erase"}

// String returns the op's name: read, write or erase.
func (o Op) String() string {
	if o.Valid() {
		return opNames[o]
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// Valid reports whether o is Read, Write or Erase.
func (o Op) Valid() bool { return o >= Read && o <= Erase }

// ParseOp returns the op named s (read, write or erase).
func ParseOp(s string) (Op, bool) {
	for o := Read; o <= Erase; o++ {
		if opNames[o] == s {
			return o, true
		}
	}
	return 0, false
}

// AllPurposes is the key of Subject.Suspended that stands for every purpose:
// the principal asked that all use of their data stop (利用停止, APPI Art.
// 35).
const AllPurposes = "*"

// Request is one intended use of a category of personal information.
type Request struct {
	// Role is the role of the member of staff who would use the data.
	Role hogo.Role
	// Category is the ID of the ledger category.
	Category string
	// Purpose is the ID of the purpose of use (利用目的) the use serves.
	// Every use names one (APPI Art. 17(1), 18(1)); only a use under a
	// legal exception may leave it empty, when it serves no purpose the
	// ledger declares and the exception itself is its ground.
	Purpose string
	// Op is what the use does.
	Op Op
	// Items are the IDs of the items asked for; empty asks for every item
	// the purpose and the role allow.
	Items []string
	// Exception is a legal exception code (ledger.Exceptions) relied on for
	// use beyond the declared purposes or without the consent a purpose
	// needs (APPI Art. 18(3)); Justification says, for the audit and the
	// protection manager's review, why the case is one of the Act's. It is
	// never copied into a message, since it may describe the principal.
	Exception, Justification string
}

// Subject is what is known about the principal whose data would be used.
type Subject struct {
	// Suspended holds the purposes whose use the principal had suspended
	// (利用停止, APPI Art. 35); AllPurposes suspends every use.
	Suspended map[string]bool
	// Consented holds the purposes for which a valid consent (同意) is on
	// record: not withdrawn, of the current version.
	Consented map[string]bool
}

// Decision is the answer to a Request.
type Decision struct {
	// Allowed reports whether the use may go ahead.
	Allowed bool
	// Items are the IDs of the items the use may touch, in ledger order;
	// nil when refused.
	Items []string
	// Reason is a stable code saying why the use was refused (one of the
	// Reason constants); empty when allowed.
	Reason string
	// Exception is set when the use is allowed only by a legal exception
	// (APPI Art. 18(3)): the caller must audit it and queue it for the
	// protection manager's review. It is empty when the use is within a
	// declared purpose, even if the request named an exception.
	Exception string
	// Err is nil when allowed. Otherwise its code is purpose_not_permitted
	// for a use the ledger or the law does not allow, or invalid for a
	// malformed request (an unknown category, purpose, item or exception,
	// a missing justification), with the field at fault and the message in
	// Japanese and English.
	Err *hogo.Error
}

// Reasons for refusing a use.
const (
	// Malformed requests (code invalid, or internal for a missing ledger).
	ReasonNoLedger             = "no_ledger"
	ReasonUnknownOp            = "unknown_op"
	ReasonUnknownRole          = "unknown_role"
	ReasonUnknownCategory      = "unknown_category"
	ReasonPurposeMissing       = "purpose_missing"
	ReasonUnknownPurpose       = "unknown_purpose"
	ReasonExceptionUnknown     = "exception_unknown"
	ReasonJustificationMissing = "justification_missing"
	ReasonUnknownItem          = "unknown_item"

	// Uses the ledger or the law does not allow (code purpose_not_permitted).
	ReasonExceptionNotDeclared   = "exception_not_declared"
	ReasonExceptionNotApplicable = "exception_not_applicable"
	ReasonPurposeNotDeclared     = "purpose_not_declared"
	ReasonRoleNotPermitted       = "role_not_permitted"
	ReasonReadOnlyRole           = "read_only_role"
	ReasonSuspended              = "suspended"
	ReasonConsentMissing         = "consent_missing"
	ReasonMyNumberPurpose        = "mynumber_purpose"
	ReasonSensitiveNotDeclared   = "sensitive_not_declared"
	ReasonItemNotPermitted       = "item_not_permitted"
	ReasonNoItems                = "no_items"
)

// Decide decides whether request r may use the personal information of the
// principal described by s, under ledger l. The checks run in this order and
// the first that fails gives the reason:
//
//  1. the request is well formed: a known op, role, category and purpose; an
//     exception, if named, is one of ledger.Exceptions, is a ground for use
//     beyond purpose, is one the ledger relies on, and comes with a
//     justification;
//  2. the purpose is declared for the category (APPI Art. 17(1), 18(1)), or
//     a legal exception is named (Art. 18(3));
//  3. the role has an access rule on the category covering the purpose (for
//     a use under an exception beyond the declared purposes: any rule on the
//     category), and the auditor only reads;
//  4. the principal has not suspended the purpose, or all use (Art. 35):
//     only erasure and the exception "law" go ahead after a suspension;
//  5. a purpose that needs consent has it, unless the use is an erasure or a
//     legal exception stands in for the consent (Art. 18(3));
//  6. the items: each asked-for item must exist (else the request is
//     invalid) and must be one the use may touch (else it is refused); when
//     none is named, the use gets every item it may touch, and is refused if
//     there is none.
//
// An item may be touched when all of these hold:
//
//   - an individual number (番号法 Art. 9, 19, 20): only for a purpose with a
//     My Number basis that its item names, and never through an exception
//     other than "law";
//   - special-care information (APPI Art. 20(2)): only for a purpose its
//     item names;
//   - any other item that names purposes: only for one of them, unless the
//     use is beyond the declared purposes under an exception, which lifts
//     the purpose limitation of Art. 18(1) for ordinary items;
//   - the role's access rules for the use cover the item (a rule without
//     items covers all of them).
func Decide(l *ledger.Ledger, r Request, s Subject) Decision {
	if l == nil {
		return refuse(ReasonNoLedger, hogo.EINTERNAL, "",
			"台帳が読み込まれていないため、利用の可否を判断できません。台帳を読み込んでください。",
			"no ledger is loaded, so no use can be decided; load the ledger")
	}
	if !r.Op.Valid() {
		return refuse(ReasonUnknownOp, hogo.EINVALID, "op",
			"操作の種類が指定されていないか、不明です。read（閲覧）、write（登録・訂正）、erase（消去）のいずれかを指定してください。",
			"the request names no known operation; use read, write or erase")
	}
	if !r.Role.Valid() {
		return refuse(ReasonUnknownRole, hogo.EINVALID, "role",
			format("役割「%s」はありません。admin、manager、desk、staff、auditor のいずれかを指定してください。", string(r.Role)),
			format("role %q is not known; use admin, manager, desk, staff or auditor", string(r.Role)))
	}
	c := l.Category(r.Category)
	if c == nil {
		return refuse(ReasonUnknownCategory, hogo.EINVALID, "category",
			format("種別「%s」は台帳にありません。台帳に書かれた種別の id を指定してください。", r.Category),
			format("category %q is not in the ledger; name a category id from the ledger", r.Category))
	}
	var p *ledger.Purpose
	switch {
	case r.Purpose != "":
		if p = l.Purpose(r.Purpose); p == nil {
			return refuse(ReasonUnknownPurpose, hogo.EINVALID, "purpose",
				format("利用目的「%s」は台帳にありません。台帳に書かれた利用目的の id を指定してください。", r.Purpose),
				format("purpose %q is not in the ledger; name a purpose id from the ledger", r.Purpose))
		}
	case r.Exception == "":
		// APPI Art. 17(1), 18(1): every use serves a specified purpose.
		return refuse(ReasonPurposeMissing, hogo.EINVALID, "purpose",
			"利用目的が指定されていません。個人情報は特定した利用目的のためにだけ利用できます（個人情報保護法第17条第1項、第18条第1項）。利用目的の id を指定してください。",
			"the request names no purpose; personal information may be used only for a specified purpose (APPI Art. 17(1), 18(1)): name a purpose id")
	}
	if r.Exception != "" {
		if d, bad := checkException(l, r); bad {
			return d
		}
	}

	// APPI Art. 18(1): use within the purposes declared for the category.
	declared := p != nil && hasRef(c.Purposes, p.ID)
	if !declared && r.Exception == "" {
		return refuse(ReasonPurposeNotDeclared, hogo.EPURPOSENOTPERMITTED, "purpose",
			format("利用目的「%s」は種別「%s」の利用目的として宣言されていません。宣言された利用目的の範囲を超えて個人情報を利用することはできません（個人情報保護法第18条第1項）。法令に基づく場合などの例外に当たるときは、例外と理由を指定してください（同条第3項）。", r.Purpose, c.ID),
			format("purpose %q is not declared for category %q; personal information may not be used beyond its declared purposes (APPI Art. 18(1)); if the case is a legal exception (Art. 18(3)), name the exception and a justification", r.Purpose, c.ID))
	}

	// The access rules that grant this use. Within a declared purpose they
	// are the role's rules naming the purpose. Beyond the declared purposes
	// no rule can name the purpose, so an exception may reach only a
	// category the role already handles, and only the items its rules cover.
	var rules []*ledger.Access
	for _, a := range c.Access {
		if a.Role == string(r.Role) && (!declared || hasRef(a.Purposes, p.ID)) {
			rules = append(rules, a)
		}
	}
	if len(rules) == 0 {
		if declared {
			return refuse(ReasonRoleNotPermitted, hogo.EPURPOSENOTPERMITTED, "role",
				format("役割「%s」には、種別「%s」を利用目的「%s」のために利用するアクセス権限がありません。必要なときは、個人情報保護管理者に台帳のアクセス権限（access）の変更を依頼してください。", string(r.Role), c.ID, p.ID),
				format("role %q has no access rule to use category %q for purpose %q; if it needs one, ask the protection manager to change the ledger's access rules", string(r.Role), c.ID, p.ID))
		}
		return refuse(ReasonRoleNotPermitted, hogo.EPURPOSENOTPERMITTED, "role",
			format("役割「%s」には種別「%s」のアクセス権限がないため、例外による利用もできません。この種別を扱う役割か個人情報保護管理者に依頼してください。", string(r.Role), c.ID),
			format("role %q has no access rule on category %q, so it may not use it under an exception either; ask a role that handles the category, or the protection manager", string(r.Role), c.ID))
	}
	if r.Role == hogo.RoleAuditor && r.Op != Read {
		// The auditor checks the handling; changing the data it checks
		// would undo the separation of duties audits rely on.
		return refuse(ReasonReadOnlyRole, hogo.EPURPOSENOTPERMITTED, "op",
			format("監査責任者（auditor）は閲覧だけができる役割です。種別「%s」の登録・訂正・消去はできません。", c.ID),
			format("the auditor role only reads; it may not write or erase category %q", c.ID))
	}

	// exception is the exception the use relies on: beyond the declared
	// purposes, after a suspension, or in place of a missing consent.
	exception := ""
	if !declared {
		exception = r.Exception
	}
	if all := s.Suspended[AllPurposes]; all || (r.Purpose != "" && s.Suspended[r.Purpose]) {
		// APPI Art. 35: once use is suspended it stops. Erasing goes
		// ahead, since that is what a request to stop or erase asks for;
		// so does a use the law requires (Art. 18(3)(1)), an obligation
		// the principal cannot lift. The other exceptions permit a use
		// without compelling it, so they do not outweigh the principal's
		// request here: such a case is for the protection manager.
		if r.Op != Erase {
			if r.Exception != ledger.ExceptionLaw {
				return refuseSuspended(r, c, all)
			}
			exception = r.Exception
		}
	}
	if declared && p.ConsentRequired && !s.Consented[p.ID] && r.Op != Erase {
		// Erasing pursues no purpose: it ends the handling, which is what a
		// withdrawn consent asks for.
		if r.Exception == "" {
			return refuse(ReasonConsentMissing, hogo.EPURPOSENOTPERMITTED, "purpose",
				format("利用目的「%s」には本人の同意が必要ですが、有効な同意の記録がありません。同意を得てから利用してください。", p.ID),
				format("purpose %q needs the principal's consent and no valid consent is on record; obtain consent first", p.ID))
		}
		// APPI Art. 18(3): the exceptions allow handling without consent.
		exception = r.Exception
	}

	u := use{p: p, declared: declared, exception: exception, rules: rules}
	if len(r.Items) == 0 {
		items := make([]string, 0, len(c.Items))
		for _, it := range c.Items {
			// An individual number reached only through the "life"
			// exception is handed over when asked for by name, never as
			// part of "everything".
			if u.refusal(it) == "" && !(it.MyNumber() && !u.basis(it)) {
				items = append(items, it.ID)
			}
		}
		if len(items) == 0 {
			ja, en := describe(r)
			return refuse(ReasonNoItems, hogo.EPURPOSENOTPERMITTED, "items",
				format("役割「%s」が%sのために扱える種別「%s」の項目はありません。", string(r.Role), ja, c.ID),
				format("role %q may touch no item of category %q for %s", string(r.Role), c.ID, en))
		}
		return Decision{Allowed: true, Items: items, Exception: exception}
	}
	for _, id := range r.Items {
		if l.Item(c.ID, id) == nil {
			return refuse(ReasonUnknownItem, hogo.EINVALID, "items",
				format("項目「%s」は種別「%s」の項目ではありません。台帳に書かれたこの種別の項目の id を指定してください。", id, c.ID),
				format("item %q is not an item of category %q; name one of its item ids from the ledger", id, c.ID))
		}
	}
	for _, id := range r.Items {
		if why := u.refusal(l.Item(c.ID, id)); why != "" {
			return refuseItem(why, r, c, id)
		}
	}
	items := make([]string, 0, len(r.Items))
	for _, it := range c.Items {
		if slices.Contains(r.Items, it.ID) {
			items = append(items, it.ID)
		}
	}
	return Decision{Allowed: true, Items: items, Exception: exception}
}

// checkException checks the exception a request names. It reports bad and
// the refusal when the exception cannot be relied on.
func checkException(l *ledger.Ledger, r Request) (d Decision, bad bool) {
	e := r.Exception
	switch {
	case !slices.Contains(ledger.Exceptions, e):
		grounds := slices.DeleteFunc(slices.Clone(ledger.Exceptions), func(x string) bool { return x == ledger.ExceptionPublishedSpecial })
		return refuse(ReasonExceptionUnknown, hogo.EINVALID, "exception",
			format("例外「%s」はありません。%s のいずれかを指定してください。", e, strings.Join(grounds, "、")),
			format("exception %q is not known; use one of %s", e, strings.Join(grounds, ", "))), true
	case e == ledger.ExceptionPublishedSpecial:
		// APPI Art. 20(2)(7) lets special-care information that the
		// principal or a public body published be acquired without
		// consent; it is not among the grounds of Art. 18(3) for using
		// personal information beyond its purposes.
		return refuse(ReasonExceptionNotApplicable, hogo.EPURPOSENOTPERMITTED, "exception",
			format("例外「%s」（公開された要配慮個人情報の取得、個人情報保護法第20条第2項第7号）は取得の例外であり、目的外利用の根拠にはなりません（同法第18条第3項）。", e),
			format("exception %q (acquiring published special-care information, APPI Art. 20(2)(7)) concerns acquisition and is no ground for use beyond purpose (Art. 18(3))", e)), true
	case len(l.Provision.OutOfPurposeExceptions) > 0 && !slices.Contains(l.Provision.OutOfPurposeExceptions, e):
		// The ledger states the Art. 18(3) cases the company relies on;
		// the published notice promises no others.
		return refuse(ReasonExceptionNotDeclared, hogo.EPURPOSENOTPERMITTED, "exception",
			format("例外「%s」は、台帳の目的外利用の例外（provision.out_of_purpose_exceptions: %s）にありません。台帳に書かれた例外だけを使えます。", e, strings.Join(l.Provision.OutOfPurposeExceptions, "、")),
			format("exception %q is not among the ledger's out-of-purpose exceptions (provision.out_of_purpose_exceptions: %s); only those may be relied on", e, strings.Join(l.Provision.OutOfPurposeExceptions, ", "))), true
	case strings.TrimSpace(r.Justification) == "":
		return refuse(ReasonJustificationMissing, hogo.EINVALID, "justification",
			format("例外「%s」による利用には理由が必要です。根拠となる法令や状況を、個人情報保護管理者が確認できるように書いてください（個人情報保護法第18条第3項）。", e),
			format("a use under exception %q needs a justification; write the law or the situation it rests on, for the protection manager's review (APPI Art. 18(3))", e)), true
	}
	return Decision{}, false
}

// use is what the item checks need to know about an admitted use.
type use struct {
	p         *ledger.Purpose // nil for a use under an exception that names no purpose
	declared  bool            // p is declared for the category
	exception string          // the exception the use relies on, if any
	rules     []*ledger.Access
}

// basis reports whether the use's purpose is one of the item's My Number
// purposes.
func (u *use) basis(it *ledger.Item) bool {
	return u.p != nil && u.p.MyNumber != "" && hasRef(it.Purposes, u.p.ID)
}

// refusal returns why the use may not touch item it, or "".
func (u *use) refusal(it *ledger.Item) string {
	named := u.p != nil && hasRef(it.Purposes, u.p.ID)
	switch {
	case it.MyNumber():
		// 番号法 Art. 9, 19, 20: individual numbers serve only the
		// procedures of the Act, whatever the principal consents to: a
		// purpose with a My Number basis that the item names, where the
		// law's own duty (exception "law") may also carry it past a
		// suspension. Beyond those purposes 番号法 Art. 30(2) reads APPI
		// Art. 18(3) down to its item 2 alone: the protection of a
		// person's life, body or property (exception "life").
		switch {
		case u.exception == ledger.ExceptionLife:
		case named && u.p.MyNumber != "" && (u.exception == "" || u.exception == ledger.ExceptionLaw):
		default:
			return ReasonMyNumberPurpose
		}
	case it.Sensitive:
		// APPI Art. 20(2), 18(1): special-care information is acquired
		// with consent to the purposes stated then, and the item's
		// purposes are where the ledger records them. An item that names
		// no purposes has declared none, so nothing reaches it: the
		// category's purposes were not written for special-care
		// information, and failing closed makes the ledger be fixed
		// (Validate warns) rather than the information used more widely
		// than the principal agreed to. No exception widens it.
		if !named {
			return ReasonSensitiveNotDeclared
		}
	default:
		// Item.Purposes narrows the category's purposes. Beyond the
		// declared purposes an exception lifts the purpose limitation of
		// APPI Art. 18(1) as a whole, for the items the role handles.
		if u.declared && len(it.Purposes) > 0 && !named {
			return ReasonItemNotPermitted
		}
	}
	for _, a := range u.rules {
		if len(a.Items) == 0 || hasRef(a.Items, it.ID) {
			return ""
		}
	}
	return ReasonItemNotPermitted
}

func hasRef(refs []ledger.Ref, id string) bool {
	for _, r := range refs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// describe names the use in messages: its purpose, or the exception when it
// names none.
func describe(r Request) (ja, en string) {
	if r.Purpose == "" {
		return format("例外「%s」による利用", r.Exception), format("use under exception %q", r.Exception)
	}
	return format("利用目的「%s」", r.Purpose), format("purpose %q", r.Purpose)
}

func refuse(reason, code, field, ja, en string) Decision {
	return Decision{Reason: reason, Err: &hogo.Error{Code: code, Field: field, Message: en, Ja: ja, Reason: reason}}
}

func refuseSuspended(r Request, c *ledger.Category, all bool) Decision {
	if all {
		return refuse(ReasonSuspended, hogo.EPURPOSENOTPERMITTED, "purpose",
			format("本人の求めにより、この本人の個人情報の利用はすべて停止されています（個人情報保護法第35条）。種別「%s」は、消去と法令に基づく場合（例外「law」）を除き利用できません。", c.ID),
			format("the principal has had all use of their data suspended (APPI Art. 35); category %q may only be erased, or used where the law requires it (exception \"law\")", c.ID))
	}
	return refuse(ReasonSuspended, hogo.EPURPOSENOTPERMITTED, "purpose",
		format("本人の求めにより、利用目的「%s」での利用は停止されています（個人情報保護法第35条）。種別「%s」は、この利用目的では消去と法令に基づく場合（例外「law」）を除き利用できません。", r.Purpose, c.ID),
		format("the principal has had use for purpose %q suspended (APPI Art. 35); category %q may only be erased for it, or used where the law requires it (exception \"law\")", r.Purpose, c.ID))
}

func refuseItem(reason string, r Request, c *ledger.Category, item string) Decision {
	ja, en := describe(r)
	switch reason {
	case ReasonMyNumberPurpose:
		return refuse(reason, hogo.EPURPOSENOTPERMITTED, "items",
			format("項目「%s」は個人番号です。個人番号は番号法に定める事務（税、社会保障、災害対策）のうち項目に書かれた利用目的にだけ利用でき、本人の同意があっても利用できません。目的外の利用は人の生命、身体又は財産の保護のために必要な場合（例外「life」）に限られます（番号法第9条、第19条、第30条第2項）。%sではこの項目を除いてください。", item, ja),
			format("item %q is an individual number: it may be used only for the My Number Act procedures (tax, social security, disaster) its item names, never by consent; beyond them only to protect a person's life, body or property (exception \"life\") (番号法 Art. 9, 19, 30(2)); leave it out of %s", item, en))
	case ReasonSensitiveNotDeclared:
		return refuse(reason, hogo.EPURPOSENOTPERMITTED, "items",
			format("項目「%s」は要配慮個人情報で、台帳の項目に書かれた利用目的にだけ利用できます（個人情報保護法第18条第1項、第20条第2項）。%sではこの項目を除くか、個人情報保護管理者に相談してください。", item, ja),
			format("item %q is special-care information and may be used only for the purposes its ledger item names (APPI Art. 18(1), 20(2)); leave it out of %s or consult the protection manager", item, en))
	}
	return refuse(ReasonItemNotPermitted, hogo.EPURPOSENOTPERMITTED, "items",
		format("役割「%s」は、%sのために種別「%s」の項目「%s」を扱えません（台帳のアクセス権限と項目の利用目的による）。この項目を除くか、個人情報保護管理者に台帳の変更を依頼してください。", string(r.Role), ja, c.ID, item),
		format("role %q may not touch item %q of category %q for %s (the ledger's access rules and the item's purposes); leave it out, or ask the protection manager to change the ledger", string(r.Role), item, c.ID, en))
}

// format returns f with args put in place of its %s (as they are) and %q
// (quoted, as by strconv.Quote) verbs, in order. It stands in for
// fmt.Sprintf because fmt scans the long Japanese formats byte by byte, which
// made formatting most of the cost of a refusal. A verb without an argument
// or an argument without a verb shows in the message, as with fmt, so that
// the tests (which reach every message) catch it.
func format(f string, args ...string) string {
	var b strings.Builder
	b.Grow(len(f) + 32*len(args))
	for {
		i := strings.IndexByte(f, '%')
		if i < 0 || i+1 == len(f) {
			b.WriteString(f)
			break
		}
		b.WriteString(f[:i])
		verb := f[i+1]
		f = f[i+2:]
		switch {
		case len(args) == 0:
			b.WriteString("%!" + string(verb) + "(MISSING)")
			continue
		case verb == 's':
			b.WriteString(args[0])
		case verb == 'q':
			b.WriteString(strconv.Quote(args[0]))
		default:
			b.WriteString("%!" + string(verb) + "(BADVERB)")
		}
		args = args[1:]
	}
	if len(args) > 0 {
		b.WriteString("%!(EXTRA " + strings.Join(args, ", ") + ")")
	}
	return b.String()
}
