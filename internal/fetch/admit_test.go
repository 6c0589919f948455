package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

func TestAdmitIsCalledBeforeTheRequest(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
	}))
	defer srv.Close()
	c := New(Options{})

	admitted := 0
	_, err := c.Get(context.Background(), Request{URL: srv.URL, Admit: func(context.Context) error {
		admitted++
		if requests.Load() != 0 {
			t.Error("Admit called after the request was sent")
		}
		return nil
	}})
	if err != nil || admitted != 1 || requests.Load() != 1 {
		t.Fatalf("err %v, admitted %d times, %d requests; want nil, 1, 1", err, admitted, requests.Load())
	}

	refused := errors.New("no room")
	_, err = c.Get(context.Background(), Request{URL: srv.URL, Admit: func(context.Context) error { return refused }})
	if !errors.Is(err, refused) || requests.Load() != 1 {
		t.Errorf("refused admission: err %v, %d requests; want the admission error and no request", err, requests.Load())
	}
	// The refused call gave its host slot back: the next one goes through.
	if _, err := c.Get(context.Background(), Request{URL: srv.URL}); err != nil || requests.Load() != 2 {
		t.Errorf("after a refusal: err %v, %d requests", err, requests.Load())
	}
}
