package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"rehabdesk/internal/i18n"
)

// MaxAttachment bounds one attachment: a phone photo or a scanned
// decision of a few pages fits; a video does not. It is also the sync
// protocol's bound (wire.MaxBlob): the county server takes nothing bigger.
const MaxAttachment = 20 << 20

// Attachment types the file keeps: scans and photos (jpg, png) and pdf,
// recognised by their content, not their file name.
var attachmentTypes = []struct {
	magic []byte
	mime  string
}{
	{[]byte{0xFF, 0xD8, 0xFF}, "image/jpeg"},
	{[]byte("\x89PNG\r\n\x1a\n"), "image/png"},
	{[]byte("%PDF-"), "application/pdf"},
}

// AttachmentMIME is the type of attachment content, "" when it is none
// of jpg, png or pdf.
func AttachmentMIME(data []byte) string {
	for _, t := range attachmentTypes {
		if bytes.HasPrefix(data, t.magic) {
			return t.mime
		}
	}
	return ""
}

// ErrAttachmentType refuses content that is not a jpg, png or pdf.
var ErrAttachmentType = i18n.NewError("duty.error.attachment_type", "an attachment must be a jpg, png or pdf file")

// TooLargeError refuses an attachment over MaxAttachment; the message
// names the limit in MB.
type TooLargeError struct{ Size, Max int }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("attachment of %d bytes is over the limit of %d bytes", e.Size, e.Max)
}

// MessageKey gives the translation, with the size and the limit in MB.
func (e *TooLargeError) MessageKey() (string, []any) {
	return "duty.error.too_large", []any{mb(e.Size), mb(e.Max)}
}

func mb(n int) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) }

// officerOnly refuses every session but an officer's: attachments (scanned
// decisions, identity papers) are for officers, never for volunteers, and
// the county reads its townships' figures, not their documents.
func (s *Store) officerOnly() error {
	if s.Session().Role != "officer" {
		return ErrForbidden
	}
	return nil
}

// AddAttachment keeps a scan or photo on the person's file, or on one of
// its event records (event, "" for the file itself). The content is sealed
// like every record (PutBlob's format) and written with its record and
// audit entry in one transaction.
func (s *Store) AddAttachment(ctx context.Context, person, event string, fields map[string]string, data []byte) (string, error) {
	if err := s.officerOnly(); err != nil {
		return "", err
	}
	if len(data) > MaxAttachment {
		return "", &TooLargeError{Size: len(data), Max: MaxAttachment}
	}
	mime := AttachmentMIME(data)
	if mime == "" {
		return "", ErrAttachmentType
	}
	return s.duty(ctx, DutyAttach, func(tx *Tx) (string, error) {
		if err := tx.eventOf(person, event); err != nil {
			return "", err
		}
		h, err := tx.putBlob(data)
		if err != nil {
			return "", err
		}
		f := copyFields(fields)
		f["person"], f["event"], f["mime"], f["size"], f["sha256"] = person, event, mime, strconv.Itoa(len(data)), h
		return tx.Put(KindAttachment, "", f)
	})
}

// eventOf checks that the event, if named, is a record of the person's file.
func (tx *Tx) eventOf(person, event string) error {
	if event == "" {
		return nil
	}
	r, err := tx.Get(event)
	if err != nil {
		return err
	}
	if r.PersonID != person || !IsEventKind(r.Kind) {
		return fmt.Errorf("record %s is not an event of person %s: %w", event, person, ErrNotFound)
	}
	return nil
}

// putBlob is PutBlob inside the transaction.
func (tx *Tx) putBlob(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	_, err := tx.tx.ExecContext(tx.ctx, "INSERT INTO blob_data(hash, size, data) VALUES(?,?,?) ON CONFLICT DO NOTHING",
		h, len(data), tx.seal.seal(data, []byte("blob:"+h)))
	return h, err
}

// Attachments lists the attachments of a person's file, of the file and of
// its events alike; a volunteer gets none.
func (s *Store) Attachments(ctx context.Context, person string) ([]*Record, error) {
	if err := s.officerOnly(); err != nil {
		return nil, err
	}
	return s.List(ctx, KindAttachment, ListFilter{PersonID: person})
}

// OpenAttachment returns an attachment's record and content, and notes in
// the audit log who opened it (a document is a view of the file).
func (s *Store) OpenAttachment(ctx context.Context, id string) (*Record, []byte, error) {
	if err := s.officerOnly(); err != nil {
		return nil, nil, err
	}
	r, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if r.Kind != KindAttachment {
		return nil, nil, fmt.Errorf("record %s is a %s, not an attachment: %w", id, r.Kind, ErrNotFound)
	}
	data, err := s.Blob(ctx, r.Get("sha256"))
	if err != nil {
		return nil, nil, err
	}
	return r, data, s.Audit(ctx, ActionRecord, id, AuditDetail(AuditDuty, DutyOpenAttachment))
}
