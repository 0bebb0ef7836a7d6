package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/sync/client"
)

// exchangeButtons sync without a network: write a request file to carry
// to the county office on a USB stick, and read the reply file it gives
// back (`countyd exchange`).
func (s *syncScreen) exchangeButtons() fyne.CanvasObject {
	write := &widget.Button{Text: T("syncscreen.write_file"), Icon: theme.DocumentSaveIcon(), OnTapped: s.pickRequestFile}
	read := &widget.Button{Text: T("syncscreen.read_file"), Icon: theme.FolderOpenIcon(), OnTapped: s.pickReplyFile}
	s.fileButtons = []*widget.Button{write, read}
	return container.NewHBox(write, read)
}

func (s *syncScreen) pickRequestFile() {
	s.ui.pickSavePath("rehabdesk-"+s.ui.st.Today().Format("20060102")+".request", s.writeRequest)
}

func (s *syncScreen) writeRequest(path string) {
	s.ui.opt.Background(func() {
		n, err := client.WriteRequestFile(s.ui.ctx, s.ui.st, path)
		fyne.Do(func() {
			if err != nil {
				s.ui.showError(err)
				return
			}
			s.result.SetText(T("syncscreen.file_written", n, path))
		})
	})
}

func (s *syncScreen) pickReplyFile() {
	s.ui.pickOpenPath(nil, s.readReply)
}

// readReply merges a reply file like a network sync's pull.
func (s *syncScreen) readReply(path string) {
	s.busy(true)
	s.ui.opt.Background(func() {
		var res client.Result
		err := client.CheckNotEmpty(path)
		if err == nil {
			res, err = client.ReadReplyFile(s.ui.ctx, s.ui.st, path)
		}
		fyne.Do(func() { s.done(res, err) })
	})
}
