/*
 * Runs DynamoDB Local listening on 127.0.0.1 only. DynamoDB Local has no bind-address option: its
 * DynamoDBProxyServer builds `new org.eclipse.jetty.server.Server(port)`, whose connector has no host and so
 * binds every interface. This launcher builds the same server from the same arguments (ServerRunner's own
 * createServerFromCommandLineArgs), sets the connector's host to 127.0.0.1, then starts it. It never calls
 * ServerRunner.main, which is where telemetry is configured; -disableTelemetry is passed as well.
 * Run by scripts/lib/dynamodb-local.ts with Java's source-file mode (JDK 11+).
 */
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) ((ServerConnector) connector).setHost("127.0.0.1");
    proxy.start();
    System.out.println("DynamoDB Local listening on 127.0.0.1");
  }
}
