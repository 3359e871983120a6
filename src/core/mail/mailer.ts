import { createTransport } from "nodemailer";

/** Sends plain-text email. Invitations use it, and cost alerts' email channel. */
export interface Mailer {
  send(message: { to: string[]; subject: string; text: string }): Promise<void>;
}

export type MailMessage = Parameters<Mailer["send"]>[0];

export interface SmtpMailerOptions {
  /**
   * `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…` (TLS from
   * the start, usually port 465). Query parameters are nodemailer's transport options.
   */
  url: string;
  /** The sender, `steward@example.com` or `Steward <steward@example.com>`. */
  from: string;
  /** Longest wait to connect, for the greeting, and between two replies. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Mail through an SMTP server (nodemailer). One connection per message: mail is rare here
 * (invitations, alerts), and a fresh connection never hits a server's idle timeout.
 */
export class SmtpMailer implements Mailer {
  readonly #transport: ReturnType<typeof createTransport>;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: SmtpMailerOptions) {
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#transport = createTransport(
      {
        url: options.url,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      },
      { from: options.from },
    );
  }

  async send(message: MailMessage): Promise<void> {
    if (message.to.length === 0) {
      throw new Error("a message needs at least one recipient");
    }
    const sending = this.#transport.sendMail({
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
    this.#inFlight.add(sending);
    try {
      await sending;
    } finally {
      this.#inFlight.delete(sending);
    }
  }

  /** Waits for the messages being sent, then releases the transport. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
    this.#transport.close();
  }
}
