package server

import (
	"context"

	"rehabdesk/sync/wire"
)

// DefaultUploadQuota is how many bytes of attachment content the server
// takes from one device in a day when countyd serve is given no
// --upload-quota: ten attachments of the largest size the app takes. An
// officer attaches a few scanned documents a day; a device that synced
// nothing for weeks sends its backlog over several days, and loses none
// of it meanwhile.
const DefaultUploadQuota = 10 * wire.MaxBlob

// chargeUpload counts n bytes of attachment content against the device's
// budget for today, or refuses them (CodeQuota) when they would exceed it.
// The check and the count are one statement, so that servers sharing one
// database never let a device past its budget between them.
func (s *Server) chargeUpload(ctx context.Context, d *device, n int64) error {
	day := s.now().UTC().Unix() / 86400
	if n > s.uploadQuota {
		return &wire.Error{Code: wire.CodeQuota}
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO upload_usage(device, day, bytes) VALUES(?,?,?)
		ON CONFLICT(device, day) DO UPDATE SET bytes = upload_usage.bytes + excluded.bytes
		WHERE upload_usage.bytes + excluded.bytes <= ?`, d.ID, day, n, s.uploadQuota)
	if err != nil {
		return err
	}
	charged, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if charged == 0 {
		s.log.Warn("attachment refused", "device", d.ID, "reason", "daily upload quota")
		return &wire.Error{Code: wire.CodeQuota}
	}
	_, err = s.db.ExecContext(ctx, "DELETE FROM upload_usage WHERE device = ? AND day < ?", d.ID, day)
	return err
}
