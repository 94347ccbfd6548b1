package hogo

import (
	"errors"
	"fmt"
)

// Error codes. Only web/ maps these to HTTP statuses; every other package
// speaks in codes so that the same failure reads the same in the CLI, the API
// and the console.
const (
	EINVALID             = "invalid"
	ENOTFOUND            = "not_found"
	ECONFLICT            = "conflict"
	EUNAUTHORIZED        = "unauthorized"
	EFORBIDDEN           = "forbidden"
	EPURPOSENOTPERMITTED = "purpose_not_permitted"
	// ENOLAWFULBASIS: a provision to a third party has no lawful basis
	// (APPI Art. 27, 28) for at least one principal; nothing went out.
	ENOLAWFULBASIS = "no_lawful_basis"
	ELOCKED        = "locked"
	ERATELIMITED   = "rate_limited"
	ESCHEMA        = "schema_mismatch"
	EINTERNAL      = "internal"
)

// Error is the domain error: a fixed code and a message written for the person
// who has to act on it. Messages never contain personal data.
type Error struct {
	Code    string
	Message string
	// Field names the input field, column or ledger path at fault, if any.
	Field string
	// Ja is the message in Japanese, when the error is one a person in
	// the console or at the command line meets.
	Ja string
	// Reason is a stable code saying why, where the code alone does not
	// (e.g. why a use was not permitted: purpose_not_declared, consent_missing).
	Reason string
	// Err is an underlying cause kept for errors.Is / errors.As.
	Err error
}

// NewError returns a domain error with its message in Japanese and English;
// both formats take the same args (use %[n]v where the word order differs).
func NewError(code, field, ja, en string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(en, args...), Ja: fmt.Sprintf(ja, args...)}
}

// In returns the message in lang ("ja" or "en"), falling back to English.
func (e *Error) In(lang string) string {
	if lang == "ja" && e.Ja != "" {
		return e.Ja
	}
	return e.Message
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a domain error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns a domain error that names the input field at fault.
func FieldErrorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first domain error in err's chain, or
// EINTERNAL when there is none. A nil error has no code.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessageIn is ErrorMessage in lang: the Japanese message when the
// error has one and lang is "ja".
func ErrorMessageIn(err error, lang string) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.In(lang)
	}
	return ErrorMessage(err)
}

// ErrorMessage returns the message of the first domain error in err's chain.
// Other errors read as "internal error" so that nothing unplanned (which might
// include a database value) reaches a user.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}
