import { feedFromSchema } from '@pipeline-ledger/contracts';
import { z } from 'zod';
import { feedFilterSchema } from '../feed/feed-message';

/** Where a receiver is: an absolute http(s) URL without user name or password, at most 2,000 characters. */
export const webhookUrl = z
  .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http:// or https:// URL, e.g. https://example.com/hooks/pipeline' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
    else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not carry a user name or password (deliveries are signed instead)' });
  });

export const createWebhookBody = z.strictObject({
  url: webhookUrl,
  ...feedFilterSchema.shape,
  /** start: every event from the first; end: only events after now; or a global position (the events after it). */
  from: feedFromSchema,
});
export type CreateWebhookBody = z.infer<typeof createWebhookBody>;
