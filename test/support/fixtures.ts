import request from 'supertest';
import { TestApp } from './test-app';

export const adaLead = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  company: 'Analytical Engines Ltd',
  title: 'CTO',
  email: 'ada@example.com',
  phone: '+44 20 7946 0000',
  source: 'Web Form',
  campaign: 'Spring Webinar',
  industry: 'Machinery',
  rating: 'Hot',
  owner: 'alice',
};

export async function createLead(t: TestApp, body: Record<string, unknown> = adaLead): Promise<string> {
  const res = await request(t.http).post('/leads').send(body).expect(201);
  return res.body.id as string;
}

/** The event store's head: a refused request must leave it where it was. */
export async function headPosition(t: TestApp): Promise<string | null> {
  const res = await request(t.http).get('/health').expect(200);
  return res.body.eventStore.headPosition as string | null;
}
