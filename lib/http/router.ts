/** One Lambda for several routes of one role group: dispatches on the HTTP API's `routeKey`. */
import type { LambdaHttpHandler } from './context';
import type { AnyRoute } from './route';

/** The handler serving each of `routes` (`[route, its httpHandler]`), picked by `METHOD /path`. */
export function httpRouter(routes: ReadonlyArray<readonly [AnyRoute, LambdaHttpHandler]>): LambdaHttpHandler {
  const byKey = new Map(routes.map(([route, handler]) => [`${route.method} ${route.path}`, handler]));
  return (event, context) => {
    const handler = byKey.get(event.routeKey);
    // API Gateway sends only the routes serverless.yml gives this function; anything else is a wiring bug.
    if (!handler) throw new Error(`No route ${event.routeKey} in this function.`);
    return handler(event, context);
  };
}
