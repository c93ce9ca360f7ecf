package dev.videoforge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class VideoForgeApplication {
	public static void main(String[] args) {
		SpringApplication.run(VideoForgeApplication.class, args);
	}
}
