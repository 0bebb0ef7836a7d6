package app

import (
	"errors"
	"strings"
	"testing"

	"rehabdesk/store"
)

func TestTransferredPersonLeavesTheHomeFiguresAndIsNamedThere(t *testing.T) {
	u := signedInUI(t, LangZH)
	p, err := u.st.Put(u.ctx, store.KindPerson, "", map[string]string{"name": "张三", "id_number": "52010219900101123X"})
	if err != nil {
		t.Fatal(err)
	}
	h := u.shell.home
	h.refresh()
	if h.moved.Visible() || !strings.Contains(texts(h.figures), T("home.total", 1)) {
		t.Fatalf("before: note %q shown=%v, figures %q", h.moved.Text, h.moved.Visible(), texts(h.figures))
	}
	if err := u.st.TransferPerson(u.ctx, p, "520102017"); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	if !h.moved.Visible() || !strings.Contains(h.moved.Text, "张三 → 西湖路街道") {
		t.Errorf("home note after the transfer: %q shown=%v", h.moved.Text, h.moved.Visible())
	}
	if got := texts(h.figures); !strings.Contains(got, T("home.total", 0)) {
		t.Errorf("figures still count the person: %q", got)
	}
	_, err = u.st.Get(u.ctx, p)
	if msg := errText(err); !errors.Is(err, store.ErrTransferred) || !strings.Contains(msg, "西湖路街道") || !strings.Contains(msg, "张三") {
		t.Errorf("opening the person: %q (%v)", msg, err)
	}
}
