/* eslint-disable @typescript-eslint/no-namespace -- Apollo declares these types in namespaces; augmenting them needs the same */
// Apollo Client 4 types results by the declared default errorPolicy: the example clients use `all`
// (a denied field is null beside the rest of the data), so results may carry data and an error.
import '@apollo/client';

export {};

declare module '@apollo/client' {
  export namespace ApolloClient {
    export namespace DeclareDefaultOptions {
      interface WatchQuery {
        errorPolicy: 'all';
      }
      interface Query {
        errorPolicy: 'all';
      }
      interface Mutate {
        errorPolicy: 'all';
      }
    }
  }
}
