import { useEffect, useRef, useState } from 'react';
import type { Media } from '../../../electron/core/contract/conversation';
import { formatBytes } from '../lib/format';
import { blobUrlOf, revokeMediaUrl, type Bodies } from '../lib/media';

// Images, audio and documents inside messages. Nothing is decoded until the part scrolls into
// view; a remote URL is a link the user may open, never a request the app makes.

/** Name, type (the kind when the body gives none: Ollama's images, OpenAI's audio), size, cut. */
function describe(m: Media, kind: string): string {
  return [
    m.name,
    m.mime ?? kind,
    m.bytes === null ? null : formatBytes(m.bytes),
    m.cut ? 'cut at the capture cap' : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A blob: URL for the media once its element is visible; revoked when it leaves the page. */
function useBlobUrl(media: Media, bodies: Bodies, ref: React.RefObject<HTMLElement | null>, enabled: boolean) {
  const [state, setState] = useState<{ url: string | null; error: string | null }>({ url: null, error: null });
  useEffect(() => {
    if (!enabled || media.source.kind !== 'base64') return;
    const el = ref.current;
    const controller = new AbortController();
    let url: string | null = null;
    const start = () => {
      blobUrlOf(media, bodies, controller.signal).then(
        (u) => {
          url = u;
          if (controller.signal.aborted) {
            if (u) revokeMediaUrl(u);
            return;
          }
          setState({ url: u, error: u ? null : 'no data' });
        },
        (e: unknown) =>
          !controller.signal.aborted && setState({ url: null, error: e instanceof Error ? e.message : String(e) }),
      );
    };
    let observer: IntersectionObserver | null = null;
    if (el && typeof IntersectionObserver !== 'undefined') {
      observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          observer?.disconnect();
          start();
        }
      });
      observer.observe(el);
    } else start();
    return () => {
      observer?.disconnect();
      controller.abort();
      if (url) revokeMediaUrl(url);
    };
  }, [media, bodies, ref, enabled]);
  return state;
}

function Remote({ kind, media }: { kind: string; media: Media }) {
  if (media.source.kind === 'url') {
    return (
      <div className="media-link">
        {kind}:{' '}
        <a
          href={media.source.url}
          target="_blank"
          rel="noreferrer noopener"
          title="Opens in your browser; the app never fetches it"
        >
          {media.source.url.length > 120 ? `${media.source.url.slice(0, 117)}…` : media.source.url}
        </a>
        {media.name && <span className="faint"> · {media.name}</span>}
      </div>
    );
  }
  if (media.source.kind === 'file') {
    return (
      <div className="media-link">
        {kind}: provider file <span className="mono">{media.source.id}</span>
        {media.mime && <span className="faint"> · {media.mime}</span>}
      </div>
    );
  }
  return null;
}

export function ImagePart({ media, bodies }: { media: Media; bodies: Bodies }) {
  const ref = useRef<HTMLDivElement>(null);
  // A cut image can't decode to anything a browser shows; its size and where it was cut are the news.
  const { url, error } = useBlobUrl(media, bodies, ref, !media.cut);
  if (media.source.kind !== 'base64') return <Remote kind="image" media={media} />;
  return (
    <figure className="media" ref={ref} data-testid="media-image">
      <div className="media-box">
        {url ? (
          <img src={url} alt={media.name ?? 'image from the message'} />
        ) : (
          <span className="faint">
            {media.cut ? 'Image cut at the capture cap' : error ? `Image could not be decoded (${error})` : 'Image…'}
          </span>
        )}
      </div>
      <figcaption className="faint">{describe(media, 'image')}</figcaption>
    </figure>
  );
}

export function AudioPart({ media, bodies, transcript }: { media: Media; bodies: Bodies; transcript: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const { url } = useBlobUrl(media, bodies, ref, !media.cut && media.bytes !== 0);
  return (
    <div className="media" ref={ref} data-testid="media-audio">
      {media.source.kind !== 'base64' ? (
        <Remote kind="audio" media={media} />
      ) : url ? (
        <audio controls src={url} />
      ) : (
        <span className="faint">Audio…</span>
      )}
      <div className="faint">{describe(media, 'audio')}</div>
      {transcript && <div className="msg-text">“{transcript}”</div>}
    </div>
  );
}

/** A named attachment with its size; its bytes become a download only when asked for. */
export function DocumentPart({ media, bodies }: { media: Media; bodies: Bodies }) {
  const [busy, setBusy] = useState(false);
  if (media.source.kind !== 'base64') return <Remote kind="document" media={media} />;
  const save = async () => {
    setBusy(true);
    try {
      const url = await blobUrlOf(media, bodies);
      if (!url) return;
      const a = document.createElement('a');
      a.href = url;
      a.download = media.name ?? 'document';
      a.click();
      setTimeout(() => revokeMediaUrl(url), 10_000);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="attachment" data-testid="media-document">
      <span aria-hidden>📄</span> <span>{media.name ?? 'document'}</span>{' '}
      <span className="faint">{describe({ ...media, name: null }, 'document')}</span>
      {media.bytes !== null && media.bytes > 0 && !media.cut && (
        <button className="link" onClick={() => void save()} disabled={busy}>
          Save
        </button>
      )}
    </div>
  );
}
