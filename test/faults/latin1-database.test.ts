import { registerMember } from '../support/members';
import { OwnMariaDb } from '../support/own-mariadb';
import { StaffIdentityProvider } from '../support/staff-idp';
import { orderInput, PLACE } from '../support/storefront';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const NAMES = ['跑步鞋 男款', 'Trail shoe 🏃‍♀️👟', '𠮷野家 定食'];
const PURPOSE = '核对订单';
const ITEMS = `{ me { orders(first: 5) { edges { node { items { name } } } } } }`;
const ACCESS_LOG = `{ me { accessLog(first: 50) { edges { node { purpose } } } } }`;

describe('a MariaDB server and database whose default character set is latin1', () => {
  let server: OwnMariaDb;
  let idp: StaffIdentityProvider;
  let t: TestGateway;

  beforeAll(async () => {
    // latin1 everywhere, and the client's handshake character set ignored: only the gateway's own settings can give utf8mb4.
    server = await OwnMariaDb.start(['--character-set-server=latin1', '--collation-server=latin1_swedish_ci', '--skip-character-set-client-handshake']);
    idp = await StaffIdentityProvider.start();
    // Another application's database on the same server, with a table name the gateway uses too.
    await server.createDatabase('neighbour', 'latin1');
    await server.admin('CREATE TABLE neighbour.member (id varchar(36) PRIMARY KEY) ENGINE=InnoDB');
    await server.admin(
      'CREATE TABLE neighbour.member_key (member_id varchar(36) PRIMARY KEY, CONSTRAINT fk_member_key_member FOREIGN KEY (member_id) REFERENCES neighbour.member (id)) ENGINE=InnoDB',
    );
    t = await startTestGateway(idp.env(), { database: await server.createDatabase('shop', 'latin1') });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await idp?.stop();
    await server?.stop();
  });

  it('stores Chinese and emoji item names and reads them back intact', async () => {
    const alice = await registerMember(t.client);
    const input = orderInput();
    input.items = input.items.map((item, i) => ({ ...item, name: NAMES[i]! }));
    const placed = await t.client.request(PLACE, { input }, { token: alice.accessToken });
    expect(placed.errors).toBeUndefined();
    const read = await t.client.request(ITEMS, {}, { token: alice.accessToken });
    expect(read.data!.me.orders.edges[0].node.items.map((item: { name: string }) => item.name)).toEqual(NAMES);
  });

  it("records a staff member's Chinese purpose and shows it intact in the member's access log", async () => {
    const alice = await registerMember(t.client);
    const staff = await idp.sign({ roles: ['SUPPORT'] }, { subject: 'agent-1' });
    const lookup = await t.client.request(
      `query($id: ID!, $purpose: String!) { member(id: $id, purpose: $purpose) { phone } }`,
      { id: alice.member.id, purpose: PURPOSE },
      { token: staff },
    );
    expect(lookup.errors).toBeUndefined();
    const log = await t.client.request(ACCESS_LOG, {}, { token: alice.accessToken });
    const purposes = log.data!.me.accessLog.edges.map((edge: { node: { purpose: string } }) => edge.node.purpose);
    expect(purposes.length).toBeGreaterThan(0);
    expect(new Set(purposes)).toEqual(new Set([PURPOSE]));
  });

  it('has converted every table to utf8mb4 and made it the database default', async () => {
    const tables = (await server.admin(`SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop'`)) as Array<{
      TABLE_COLLATION: string;
    }>;
    expect(tables.length).toBeGreaterThan(10);
    expect(new Set(tables.map((table) => table.TABLE_COLLATION))).toEqual(new Set(['utf8mb4_unicode_ci']));
    const [database] = (await server.admin(
      `SELECT DEFAULT_CHARACTER_SET_NAME AS charset FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop'`,
    )) as Array<{ charset: string }>;
    expect(database!.charset).toBe('utf8mb4');
  });

  it("leaves the server's other databases alone: their tables and foreign keys are as they were", async () => {
    const tables = (await server.admin(
      `SELECT TABLE_NAME AS name, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'neighbour' ORDER BY 1`,
    )) as Array<{
      name: string;
      collation: string;
    }>;
    expect(tables).toEqual([
      { name: 'member', collation: 'latin1_swedish_ci' },
      { name: 'member_key', collation: 'latin1_swedish_ci' },
    ]);
    const keys = await server.admin(`SELECT CONSTRAINT_NAME AS name FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'neighbour'`);
    expect(keys).toEqual([{ name: 'fk_member_key_member' }]);
  });

  it('leaves exactly the schema the entities describe', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
