package client

import (
	"testing"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// TestEveryAttachmentTheStoreTakesCanSync: an attachment the GUI accepts
// must not be one that sync refuses to carry, or it would stay on one
// device for good.
func TestEveryAttachmentTheStoreTakesCanSync(t *testing.T) {
	if store.MaxAttachment > wire.MaxBlob {
		t.Fatalf("the store takes attachments up to %d bytes, sync carries %d", store.MaxAttachment, wire.MaxBlob)
	}
}
