import { registerMember } from '../support/members';
import { useInstances } from '../support/use-instances';

describe('three gateways behind a load balancer, one MariaDB database', () => {
  const instances = useInstances(3);

  it('accepts a token issued by one instance at every other instance', async () => {
    const [a, b, c] = instances.all;
    const m = await registerMember(a!.client);
    for (const gateway of [b!, c!]) {
      const result = await gateway.client.request<{ me: { id: string } }>(`{ me { id } }`, {}, { token: m.accessToken });
      expect(result.data?.me.id).toBe(m.member.id);
    }
  });
});
