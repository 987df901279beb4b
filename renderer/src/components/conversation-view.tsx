import { memo, useMemo } from 'react';
import type {
  Conversation,
  ConversationMessage,
  ConversationReply,
  Part,
  ToolDefinition,
} from '../../../electron/core/contract/conversation';
import { copyWithToast } from '../lib/clipboard';
import type { Bodies } from '../lib/media';
import { AudioPart, DocumentPart, ImagePart } from './media-part';

// The Conversation tab: the request as the model saw it (system, messages, tools, params) and
// the reply. Tool results carry the id of the call they answer; both show it, with the same
// colour, and a result names the tool it came from.

/** A stable hue per call id, so a call and its result share a colour. */
function hueOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) % 360;
  return h;
}

const pretty = (v: unknown) => JSON.stringify(v, null, 2) ?? 'null';

/** The readable text of some parts, for "Copy text". */
export function textOf(parts: Part[]): string {
  return parts
    .map((p) => {
      switch (p.type) {
        case 'text':
        case 'refusal':
          return p.text;
        case 'reasoning':
          return p.text ? `[reasoning]\n${p.text}` : '';
        case 'tool_call':
          return (
            `[call ${p.name}${p.id ? ` ${p.id}` : ''}] ` +
            `${p.arguments.ok ? JSON.stringify(p.arguments.value) : p.arguments.raw}`
          );
        case 'tool_result':
          return `[result${p.callId ? ` of ${p.callId}` : ''}]\n${textOf(p.parts)}`;
        case 'image':
        case 'audio':
        case 'document':
          return `[${p.type}${p.media.name ? ` ${p.media.name}` : ''}]`;
        case 'other':
          return `[${p.label}]`;
      }
    })
    .filter((t) => t !== '')
    .join('\n\n');
}

function CallId({ id }: { id: string | null }) {
  if (!id) return null;
  return (
    <span
      className="call-id mono"
      style={{ '--call-hue': hueOf(id) } as React.CSSProperties}
      title="Call id: the result that answers this call shows the same id"
    >
      {id}
    </span>
  );
}

function PartView({ part, bodies, callNames }: { part: Part; bodies: Bodies; callNames: Map<string, string> }) {
  switch (part.type) {
    case 'text':
      return <div className="msg-text">{part.text}</div>;
    case 'refusal':
      return (
        <div className="refusal" data-testid="refusal">
          <strong>Refusal</strong> {part.text}
        </div>
      );
    case 'reasoning':
      return part.redacted && !part.text ? (
        <div className="reasoning faint">Reasoning (encrypted; not readable)</div>
      ) : (
        <details className="reasoning" data-testid="reasoning">
          <summary>Reasoning · {part.text.length.toLocaleString('en-US')} characters</summary>
          <div className="msg-text">{part.text}</div>
        </details>
      );
    case 'tool_call':
      return (
        <div
          className="tool-call"
          data-testid="tool-call"
          data-call-id={part.id ?? undefined}
          style={part.id ? ({ '--call-hue': hueOf(part.id) } as React.CSSProperties) : undefined}
        >
          <div className="tool-head">
            <span aria-hidden>→</span> <strong className="mono">{part.name || '(unnamed)'}</strong>{' '}
            <CallId id={part.id} />
          </div>
          {part.arguments.ok ? (
            <pre className="code">{pretty(part.arguments.value)}</pre>
          ) : (
            <>
              <div className="error-line">Arguments are not valid JSON: {part.arguments.error}</div>
              <pre className="code">{part.arguments.raw}</pre>
            </>
          )}
        </div>
      );
    case 'tool_result': {
      const name = part.name ?? (part.callId ? callNames.get(part.callId) : undefined);
      return (
        <div
          className={part.isError ? 'tool-result err' : 'tool-result'}
          data-testid="tool-result"
          data-call-id={part.callId ?? undefined}
          style={part.callId ? ({ '--call-hue': hueOf(part.callId) } as React.CSSProperties) : undefined}
        >
          <div className="tool-head">
            <span aria-hidden>←</span> result
            {name ? (
              <>
                {' '}
                of <strong className="mono">{name}</strong>
              </>
            ) : null}{' '}
            <CallId id={part.callId} />
            {part.isError && <span className="badge err">error</span>}
          </div>
          <Parts parts={part.parts} bodies={bodies} callNames={callNames} />
        </div>
      );
    }
    case 'image':
      return <ImagePart media={part.media} bodies={bodies} />;
    case 'audio':
      return <AudioPart media={part.media} bodies={bodies} transcript={part.transcript} />;
    case 'document':
      return <DocumentPart media={part.media} bodies={bodies} />;
    case 'other':
      return (
        <details className="other-part">
          <summary>{part.label}</summary>
          <pre className="code">{part.json}</pre>
        </details>
      );
  }
}

function Parts({ parts, bodies, callNames }: { parts: Part[]; bodies: Bodies; callNames: Map<string, string> }) {
  return (
    <>
      {parts.map((p, i) => (
        <PartView key={i} part={p} bodies={bodies} callNames={callNames} />
      ))}
    </>
  );
}

const Message = memo(function Message({
  message,
  bodies,
  callNames,
}: {
  message: ConversationMessage;
  bodies: Bodies;
  callNames: Map<string, string>;
}) {
  return (
    <section className={`msg role-${message.role}`} data-testid="message" data-role={message.role}>
      <div className="msg-head">
        <span className="role">{message.role}</span>
        {message.name && <span className="faint">{message.name}</span>}
        <button
          className="link copy"
          onClick={() => void copyWithToast(textOf(message.parts), `${message.role} message`)}
        >
          Copy text
        </button>
      </div>
      <Parts parts={message.parts} bodies={bodies} callNames={callNames} />
    </section>
  );
});

function Tool({ tool }: { tool: ToolDefinition }) {
  return (
    <details className="tool-def" data-testid="tool-def">
      <summary>
        <strong className="mono">{tool.name}</strong>
        {tool.description && <span className="faint"> — {tool.description}</span>}
      </summary>
      <pre className="code">{pretty(tool.schema)}</pre>
    </details>
  );
}

export function ReplyView({
  reply,
  live,
  bodies,
  callNames,
}: {
  reply: ConversationReply | null;
  live: boolean;
  bodies: Bodies;
  callNames: Map<string, string>;
}) {
  const parts = reply?.parts ?? [];
  return (
    <section className="msg reply role-assistant" data-testid="reply">
      <div className="msg-head">
        <span className="role">reply{live ? ' (arriving)' : ''}</span>
        {reply?.model && <span className="faint mono">{reply.model}</span>}
        {reply?.finishReason && (
          <span className="badge" data-testid="finish-reason" title="Finish reason">
            {reply.finishReason}
          </span>
        )}
        {parts.length > 0 && (
          <button className="link copy" onClick={() => void copyWithToast(textOf(parts), 'reply')}>
            Copy text
          </button>
        )}
      </div>
      {parts.length === 0 ? (
        <div className="faint">{live ? 'Waiting for the first tokens…' : 'The reply has no content.'}</div>
      ) : null}
      {/* The joined text keeps one element for the whole message, so a growing stream updates one node. */}
      {parts.map((p, i) =>
        p.type === 'text' ? (
          <div key={i} className="msg-text" data-testid="assistant-message">
            {p.text}
          </div>
        ) : (
          <PartView key={i} part={p} bodies={bodies} callNames={callNames} />
        ),
      )}
    </section>
  );
}

/** Every call's name by id, so a result (OpenAI and Anthropic send none) can name its tool. */
export function callNamesOf(c: {
  messages: ConversationMessage[];
  reply: ConversationReply | null;
}): Map<string, string> {
  const names = new Map<string, string>();
  const walk = (parts: Part[]) => parts.forEach((p) => p.type === 'tool_call' && p.id && names.set(p.id, p.name));
  c.messages.forEach((m) => walk(m.parts));
  if (c.reply) walk(c.reply.parts);
  return names;
}

export function ConversationView({
  conversation: c,
  bodies,
  liveReply,
}: {
  conversation: Conversation;
  bodies: Bodies;
  liveReply?: ConversationReply | null;
}) {
  const reply = liveReply ?? c.reply;
  const callNames = useMemo(() => callNamesOf({ messages: c.messages, reply }), [c.messages, reply]);
  return (
    <div className="conversation" data-testid="conversation">
      {c.notes.map((n) => (
        <div key={n} className="note" data-testid="conversation-note">
          {n}
        </div>
      ))}
      {c.params.length > 0 && (
        <div className="params" data-testid="params">
          {c.params.map((p) => (
            <span key={p.name} className="param">
              <span className="faint">{p.name}</span> <span className="mono">{p.value}</span>
            </span>
          ))}
        </div>
      )}
      {c.tools.length > 0 && (
        <details className="tools">
          <summary>
            Tools ({c.tools.length}): {c.tools.map((t) => t.name).join(', ')}
          </summary>
          {c.tools.map((t, i) => (
            <Tool key={i} tool={t} />
          ))}
        </details>
      )}
      {c.requestError && <div className="note">{c.requestError} The Request tab shows it as it was stored.</div>}
      {c.system.length > 0 && (
        <Message message={{ role: 'system', name: null, parts: c.system }} bodies={bodies} callNames={callNames} />
      )}
      {c.messages.map((m, i) => (
        <Message key={i} message={m} bodies={bodies} callNames={callNames} />
      ))}
      {reply || liveReply !== undefined ? (
        <ReplyView reply={reply} live={liveReply !== undefined} bodies={bodies} callNames={callNames} />
      ) : (
        <div className="note">{c.replyError ?? 'No reply.'}</div>
      )}
      {reply && c.replyError && <div className="note">{c.replyError}</div>}
    </div>
  );
}
