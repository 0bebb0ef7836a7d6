package server

import (
	"context"

	"rehabdesk/store"
)

// ReasonBadLink refuses a change linking its record to one it may not
// name: whether the target is another person's, another township's, of
// the wrong kind or unknown reads the same, so the refusal tells nothing
// of other townships' ids.
const ReasonBadLink = "bad_link"

// eventLinkInScope: an attachment belongs to its person's file or to one
// event record (measure, test, visit...) of that same person, as the
// server holds it. A link to another person's event would show their
// record in this file.
func eventLinkInScope(ctx context.Context, tx *ptx, c *store.Change, person string) error {
	event := c.Fields["event"]
	if c.Kind != store.KindAttachment || event == "" {
		return nil
	}
	e, err := loadEntity(ctx, tx, event)
	if err != nil {
		return err
	}
	if !e.found || !store.IsEventKind(e.kind) || e.person != person {
		return rejection(ReasonBadLink)
	}
	return nil
}
