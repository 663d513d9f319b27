// Package document is what a screen does with a document e-RS hands out
// (clinical information, an attachment, an A&G overview): download it into
// the per-user files folder (0600, a safe name, nothing partial left on
// failure), read its text for a preview pane wrapped once per width, open
// it in the system viewer when there is a display, and keep it after
// sign-out.
//
// Two levels: Save, Preview, Text and Viewer are plain functions and types
// a screen with its own messages can call; Set is the whole thing as a
// component, with its own messages and pane view (the screens use it).
// It is not a list of documents: the screen lists them and says which one
// is focused.
package document

import (
	"bytes"
	"context"
	"io"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/files"
)

// Fetch writes a document's bytes to w: an ERS download call
// (RetrieveAttachment, RetrieveClinicalInformation, RetrieveAdviceOverview).
type Fetch func(ctx context.Context, w io.Writer) (*ersclient.Download, error)

// Source is a document that can be downloaded.
type Source struct {
	// Key names the document in the Set ("att:<id>", "overview:<ubrn>").
	Key   string
	Title string
	// FileName is used when e-RS sends none; made safe by the store.
	FileName string
	Fetch    Fetch
}

// Saved is a downloaded document: where it is and its preview text, or
// why there is none.
type Saved struct {
	Path string
	Text []string
	Note string
}

// Save runs the fetch, saves the file and reads its text for the preview.
// The bytes are held in memory until complete (e-RS caps downloads), so a
// failed download leaves no partial file.
func Save(ctx context.Context, store *files.Store, src Source) (Saved, error) {
	var buf bytes.Buffer
	dl, err := src.Fetch(ctx, &buf)
	if err != nil {
		return Saved{}, err
	}
	name := dl.FileName
	if name == "" {
		name = src.FileName
	}
	if name == "" {
		name = src.Title
	}
	path, err := store.Save(name, bytes.NewReader(buf.Bytes()))
	if err != nil {
		return Saved{}, err
	}
	lines, note := Preview(buf.Bytes(), dl.ContentType, name)
	return Saved{Path: path, Text: lines, Note: note}, nil
}
