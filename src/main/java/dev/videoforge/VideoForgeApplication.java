package dev.videoforge;

import dev.videoforge.cli.Cli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class VideoForgeApplication {
	public static void main(String[] args) {
		// "videoforge.jar login|logout|upload|ls|status|rm ..." is the command line: an HTTP client
		// that must start fast, so it runs before (and without) Spring.
		if (Cli.isCommand(args)) {
			Cli.main(args);
			return;
		}
		SpringApplication.run(VideoForgeApplication.class, args);
	}
}
