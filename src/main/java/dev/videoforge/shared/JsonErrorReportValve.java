package dev.videoforge.shared;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Requests Tomcat refuses before any application code runs (an encoded slash or NUL in the path,
 * a header past the size limit) get API.md's error JSON too, instead of Tomcat's HTML page.
 */
public class JsonErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		try {
			response.setContentType("application/json");
			response.setCharacterEncoding("UTF-8");
			String code = status == 400 ? "bad_request" : status == 404 ? "not_found" : "error";
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(new ErrorBody(code, "the request was refused (HTTP " + status + ")").json());
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException e) {
			// The client is gone or the response is committed: nothing more to say.
		}
	}
}
