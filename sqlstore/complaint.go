package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"hogo.example.jp/hogo"
)

const complaintCols = `id, receipt_number, channel, category, status, anonymous, received_at, received_on, ack_due, answer_due, due_on,
	acknowledged_at, answered_at, closed_at, escalated_at, escalated_by, request_id, request_receipt, incident_id, sealed, version,
	created_at, updated_at, secret_hash, ack_mail, ack_mail_at`

// complaintHead is complaintCols without the case file and the secret's
// hash, for statistics.
const complaintHead = `id, receipt_number, channel, category, status, anonymous, received_at, received_on, ack_due, answer_due, due_on,
	acknowledged_at, answered_at, closed_at, escalated_at, escalated_by, request_id, request_receipt, incident_id, NULL, version,
	created_at, updated_at, NULL, ack_mail, ack_mail_at`

func scanComplaint(sc interface{ Scan(...any) error }) (*hogo.Complaint, error) {
	c := &hogo.Complaint{}
	var anon int
	var recv, ack, ans, closed, esc, cr, up, mailed int64
	if err := sc.Scan(&c.ID, &c.ReceiptNumber, &c.Channel, &c.Category, &c.Status, &anon, &recv, &c.ReceivedOn, &c.AckDue, &c.AnswerDue,
		&c.DueOn, &ack, &ans, &closed, &esc, &c.EscalatedBy, &c.RequestID, &c.RequestReceipt, &c.IncidentID, &c.Sealed, &c.Version,
		&cr, &up, &c.SecretHash, &c.AckMail, &mailed); err != nil {
		return nil, err
	}
	c.AckMailAt = fromNanos(mailed)
	c.Anonymous = anon != 0
	c.ReceivedAt, c.AcknowledgedAt, c.AnsweredAt, c.ClosedAt = fromNanos(recv), fromNanos(ack), fromNanos(ans), fromNanos(closed)
	c.EscalatedAt, c.CreatedAt, c.UpdatedAt = fromNanos(esc), fromNanos(cr), fromNanos(up)
	return c, nil
}

// InsertComplaint implements hogo.ComplaintWriter.
func (t *txStore) InsertComplaint(ctx context.Context, c *hogo.Complaint) error {
	if c.Version == 0 {
		c.Version = 1
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO complaints (`+complaintCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
		$13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)`,
		c.ID, c.ReceiptNumber, c.Channel, c.Category, c.Status, boolInt(c.Anonymous), nanos(c.ReceivedAt), c.ReceivedOn, c.AckDue,
		c.AnswerDue, c.DueOn, nanos(c.AcknowledgedAt), nanos(c.AnsweredAt), nanos(c.ClosedAt), nanos(c.EscalatedAt), c.EscalatedBy,
		c.RequestID, c.RequestReceipt, c.IncidentID, c.Sealed, c.Version, nanos(c.CreatedAt), nanos(c.UpdatedAt), secretHash(c.SecretHash),
		c.AckMail, nanos(c.AckMailAt))
	if t.db.Dialect.IsUnique(err) {
		return hogo.NewError(hogo.ECONFLICT, "receipt_number", "受付番号が重複しました。もう一度登録してください。",
			"the receipt number is taken; record it again")
	}
	return err
}

// secretHash is a complaint's secret hash as stored: never NULL.
func secretHash(h []byte) []byte {
	if h == nil {
		return []byte{}
	}
	return h
}

// UpdateComplaint implements hogo.ComplaintWriter. The receipt number,
// the channel, the arrival and the secret do not change.
func (t *txStore) UpdateComplaint(ctx context.Context, c *hogo.Complaint) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE complaints SET category = $1, status = $2, anonymous = $3, ack_due = $4, answer_due = $5,
		due_on = $6, acknowledged_at = $7, answered_at = $8, closed_at = $9, escalated_at = $10, escalated_by = $11, request_id = $12,
		request_receipt = $13, incident_id = $14, sealed = $15, version = $16, updated_at = $17, ack_mail = $18, ack_mail_at = $19
		WHERE id = $20 AND version = $21`,
		c.Category, c.Status, boolInt(c.Anonymous), c.AckDue, c.AnswerDue, c.DueOn, nanos(c.AcknowledgedAt), nanos(c.AnsweredAt),
		nanos(c.ClosedAt), nanos(c.EscalatedAt), c.EscalatedBy, c.RequestID, c.RequestReceipt, c.IncidentID, c.Sealed, c.Version,
		nanos(c.UpdatedAt), c.AckMail, nanos(c.AckMailAt), c.ID, c.Version-1)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return hogo.NewError(hogo.ECONFLICT, "version", "この苦情・相談は他の操作で更新されています。読み直してからもう一度行ってください。",
			"the complaint was changed by someone else; reload it and try again")
	}
	return nil
}

func (db *DB) queryComplaints(ctx context.Context, q string, args ...any) ([]*hogo.Complaint, error) {
	rows, err := db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.Complaint
	for rows.Next() {
		c, err := scanComplaint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ListComplaints implements hogo.ComplaintService.
func (db *DB) ListComplaints(ctx context.Context, which string, limit int) ([]*hogo.Complaint, error) {
	if limit <= 0 || limit > 5000 {
		limit = 500
	}
	return db.queryComplaints(ctx, `SELECT `+complaintCols+` FROM complaints
		WHERE ($1 = '' OR ($1 = 'open' AND status <> 'closed') OR ($1 = 'closed' AND status = 'closed'))
		ORDER BY CASE WHEN due_on = '' THEN 1 ELSE 0 END, due_on, received_at, id LIMIT $2`, which, limit)
}

// ComplaintsReceived implements hogo.ComplaintService.
func (db *DB) ComplaintsReceived(ctx context.Context, from, to time.Time) ([]*hogo.Complaint, error) {
	return db.queryComplaints(ctx, `SELECT `+complaintHead+` FROM complaints WHERE received_at >= $1 AND received_at < $2
		ORDER BY received_at, id`, from.UnixNano(), to.UnixNano())
}

// GetComplaint implements hogo.ComplaintService.
func (db *DB) GetComplaint(ctx context.Context, id string) (*hogo.Complaint, error) {
	c, err := scanComplaint(db.Read.QueryRowContext(ctx, `SELECT `+complaintCols+` FROM complaints WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoComplaint()
	}
	return c, err
}

// FindComplaintByReceipt implements hogo.ComplaintService.
func (db *DB) FindComplaintByReceipt(ctx context.Context, receipt string) (*hogo.Complaint, error) {
	c, err := scanComplaint(db.Read.QueryRowContext(ctx, `SELECT `+complaintCols+` FROM complaints WHERE receipt_number = $1`, receipt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoComplaint()
	}
	return c, err
}

func errNoComplaint() error {
	return hogo.NewError(hogo.ENOTFOUND, "id", "苦情・相談が見つかりません。", "no such complaint")
}
