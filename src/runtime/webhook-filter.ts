// Deliveries the app has no handler for are answered 2xx with nothing done. @octokit/webhooks (under Probot's
// middleware) answers 500 to some of them before any handler runs: an empty event name ("Event name not
// passed"), a name such as `__proto__` that its hook table resolves to a non-function ("handler is not a
// function"), a payload that is `null` or a string. Those are dropped here, after the signature is checked: a
// forged delivery still gets 400.
import type { Probot } from "probot";

type Webhooks = Pick<Probot["webhooks"], "verify" | "verifyAndReceive">;
type SignedEvent = Parameters<Webhooks["verifyAndReceive"]>[0];

/** Wraps `webhooks.verifyAndReceive` so only deliveries named in `handled`, with an object payload, reach it. */
export function dropUnhandledDeliveries(webhooks: Webhooks, handled: ReadonlySet<string>): void {
  const receive = webhooks.verifyAndReceive.bind(webhooks);
  webhooks.verifyAndReceive = async (event: SignedEvent) => {
    if (isHandled(event, handled)) return receive(event);
    const signed = await webhooks.verify(event.payload, event.signature).catch(() => false);
    if (!signed) return receive(event); // the library's own 400 for a bad signature
  };
}

function isHandled(event: SignedEvent, handled: ReadonlySet<string>): boolean {
  return handled.has(event.name) && OBJECT_PAYLOAD.test(event.payload);
}

// A JSON object: the only payload GitHub sends. Anything else (null, a string, a list) has nothing to handle.
const OBJECT_PAYLOAD = /^\s*\{/;
