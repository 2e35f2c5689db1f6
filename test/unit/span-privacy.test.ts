import { maskSql, privateAttributes } from '../../src/observability/private-span-exporter';

describe('span privacy', () => {
  it('masks every literal of a statement and leaves identifiers alone', () => {
    expect(maskSql("SELECT `t_1`.`member_id` FROM member_key WHERE phone = '139 0000 0000' AND age > 17 AND x = 0x1f AND y = -2.5e3")).toBe(
      'SELECT `t_1`.`member_id` FROM member_key WHERE phone = ? AND age > ? AND x = ? AND y = ?',
    );
    expect(maskSql(`INSERT INTO t (a, b) VALUES ('it''s', "say \\"hi\\"")`)).toBe('INSERT INTO t (a, b) VALUES (?, ?)');
    expect(maskSql("UPDATE t SET a = 'unterminated")).toBe('UPDATE t SET a = ?');
    expect(maskSql('SET NAMES utf8mb4')).toBe('SET NAMES utf8mb4');
  });

  it('keeps allow-listed attributes only: URLs without their query, SQL masked', () => {
    expect(
      privateAttributes({
        'http.request.method': 'GET',
        'url.full': 'http://user:pw@shop.example.com:4000/graphql?variables=%7B%22phone%22%7D#x',
        'http.target': '/graphql?query=x',
        'url.path': '/graphql',
        'url.query': 'variables=secret',
        'client.address': '203.0.113.7',
        'user_agent.original': 'Phone/1.0',
        'graphql.source': 'query { member(id: "*") { id } }',
        'graphql.variables.phone': '13900000000',
        'graphql.operation.name': 'AccountPage',
        'db.query.text': "SELECT 1 FROM member WHERE name = 'Li'",
        'db.user': 'gateway',
      }),
    ).toEqual({
      'http.request.method': 'GET',
      'url.full': 'http://shop.example.com:4000/graphql',
      'http.target': '/graphql',
      'url.path': '/graphql',
      'db.query.text': 'SELECT ? FROM member WHERE name = ?',
    });
  });

  it('leaves out text the client chose: operation names, aliased field paths and paths that are not routes', () => {
    expect(
      privateAttributes({
        'graphql.operation.type': 'query',
        'graphql.operation.name': 'Phone13900000000',
        'graphql.field.name': 'phone',
        'graphql.field.path': 'li_lei_phone',
        'url.path': '/graphql/13900000000',
        'http.target': '/.well-known/jwks.json?x=1',
        'url.full': 'http://shop.example.com/li-lei?x=1',
      }),
    ).toEqual({
      'graphql.operation.type': 'query',
      'graphql.field.name': 'phone',
      'url.path': '/other',
      'http.target': '/.well-known/jwks.json',
      'url.full': 'http://shop.example.com/other',
    });
  });
});
